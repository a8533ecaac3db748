import { Column, Entity, PrimaryColumn } from 'typeorm';

/** When the contact last wrote to one business number: the 24-hour customer-service window opens there. */
@Entity('service_window')
export class ServiceWindowEntity {
  @PrimaryColumn({ type: 'text', name: 'phone_number_id', primaryKeyConstraintName: 'PK_service_window' })
  phoneNumberId!: string;

  @PrimaryColumn({ type: 'text', name: 'contact_ref', primaryKeyConstraintName: 'PK_service_window' })
  contactRef!: string;

  @Column({ type: 'text', name: 'tenant_id' })
  tenantId!: string;

  @Column({ type: 'timestamptz', name: 'last_inbound_at' })
  lastInboundAt!: Date;
}
