import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The outbound log: one row per outbound command (its idempotency key), its state from pending to read or failed,
 * and Meta's wamid once accepted. No content: the message travels sealed in the command only.
 */
@Entity('outbound_message')
@Index('UQ_outbound_message_wamid', ['wamid'], { unique: true, where: '"wamid" IS NOT NULL' })
@Index('IDX_outbound_message_contact', ['tenantId', 'contactRef'])
export class OutboundMessageEntity {
  @PrimaryColumn({ type: 'uuid', name: 'outbound_id', primaryKeyConstraintName: 'PK_outbound_message' })
  outboundId!: string;

  @Column({ type: 'text', name: 'tenant_id' })
  tenantId!: string;

  @Column({ type: 'text', name: 'contact_ref' })
  contactRef!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ type: 'text', nullable: true })
  kind!: string | null;

  @Column({ type: 'text', name: 'phone_number_id', nullable: true })
  phoneNumberId!: string | null;

  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'text', nullable: true })
  wamid!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'integer', name: 'error_code', nullable: true })
  errorCode!: number | null;

  @Column({ type: 'text', name: 'failure_reason', nullable: true })
  failureReason!: string | null;

  /** When the last send attempt began; with state `sending` and no answer, its outcome is unknown. */
  @Column({ type: 'timestamptz', name: 'sending_since', nullable: true })
  sendingSince!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
