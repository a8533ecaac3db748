import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every inbound message accepted once, by wamid: Meta redelivers for up to 7 days, so the dedupe is durable, not a
 * stream window. Identifiers only; the content went out sealed in gateway.message.received.v1.
 */
@Entity('inbound_message')
@Index('IDX_inbound_message_contact', ['tenantId', 'contactRef'])
export class InboundMessageEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_inbound_message' })
  wamid!: string;

  @Column({ type: 'text', name: 'tenant_id' })
  tenantId!: string;

  @Column({ type: 'text', name: 'phone_number_id' })
  phoneNumberId!: string;

  @Column({ type: 'text', name: 'contact_ref' })
  contactRef!: string;

  @Column({ type: 'timestamptz', name: 'sent_at' })
  sentAt!: Date;

  @Column({ type: 'timestamptz', name: 'received_at' })
  receivedAt!: Date;
}
