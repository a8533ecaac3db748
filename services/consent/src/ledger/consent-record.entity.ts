import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/**
 * The consent ledger: one append-only row per prompt, grant, decline, withdrawal or WhatsApp setting change, per
 * purpose, with the notice version and purposes, lawful basis, channel, evidence and regime. A database trigger
 * refuses every UPDATE, and every DELETE not made by erasure or retention (see the migration).
 */
@Entity('consent_record')
@Index('IDX_consent_record_subject', ['tenantId', 'subjectRef', 'seq'])
@Index('UQ_consent_record_request', ['tenantId', 'requestId', 'purpose'], {
  unique: true,
  where: '"request_id" IS NOT NULL',
})
export class ConsentRecordEntity {
  @PrimaryColumn({ type: 'uuid', name: 'record_id', primaryKeyConstraintName: 'PK_consent_record' })
  recordId!: string;

  /** Append order: history pages by it. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ type: 'text', name: 'tenant_id' })
  tenantId!: string;

  @Column({ type: 'text', name: 'subject_ref' })
  subjectRef!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'int', name: 'notice_version', nullable: true })
  noticeVersion!: number | null;

  @Column({ type: 'text', name: 'notice_purposes', array: true })
  noticePurposes!: string[];

  @Column({ type: 'text', name: 'lawful_basis' })
  lawfulBasis!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  regime!: string;

  @Column({ type: 'text', nullable: true })
  language!: string | null;

  /** Ids and timestamps only (wamids, button id, keyword, outbound id, caller reference): never message text. */
  @Column({ type: 'jsonb' })
  evidence!: Record<string, string>;

  /** The record API's idempotency key. */
  @Column({ type: 'uuid', name: 'request_id', nullable: true })
  requestId!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt!: Date;
}
