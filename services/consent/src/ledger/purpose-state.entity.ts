import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The current state of one purpose for one contact, derived from the ledger and written in the same transaction as
 * the record that changed it: what the send-time check reads (one primary-key lookup).
 */
@Entity('purpose_state')
export class PurposeStateEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_purpose_state' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text', name: 'subject_ref', primaryKeyConstraintName: 'PK_purpose_state' })
  subjectRef!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_purpose_state' })
  purpose!: string;

  /** undecided | granted | declined | withdrawn */
  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'int', name: 'notice_version', nullable: true })
  noticeVersion!: number | null;

  /** The user stopped this purpose in WhatsApp's own settings (user_preferences). */
  @Column({ type: 'boolean', name: 'platform_stopped', default: false })
  platformStopped!: boolean;

  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'uuid', name: 'last_record_id' })
  lastRecordId!: string;
}
