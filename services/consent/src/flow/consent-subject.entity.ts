import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SubjectStatus } from './consent-flow.rules';

/**
 * A contact as consent knows it: where they stand (the state machine in consent-flow.rules.ts), their language and
 * region for notices and regimes, blind indexes of their WhatsApp identifiers (so a suppression outlives an erasure
 * as a tombstone), and the last flow message consent issued to them (the only prompt/confirmation allowed out).
 */
@Entity('consent_subject')
@Index('IDX_consent_subject_wa_id_index', ['tenantId', 'waIdIndex'])
@Index('IDX_consent_subject_user_id_index', ['tenantId', 'userIdIndex'])
export class ConsentSubjectEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_consent_subject' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text', name: 'subject_ref', primaryKeyConstraintName: 'PK_consent_subject' })
  subjectRef!: string;

  @Column({ type: 'text' })
  status!: SubjectStatus;

  @Column({ type: 'text', nullable: true })
  language!: string | null;

  /** ISO 3166 alpha-2 from the number's country code (or the BSUID prefix); `US-CA` for California hints. */
  @Column({ type: 'text', nullable: true })
  region!: string | null;

  @Column({ type: 'text', nullable: true })
  regime!: string | null;

  @Column({ type: 'text', name: 'wa_id_index', nullable: true })
  waIdIndex!: string | null;

  @Column({ type: 'text', name: 'user_id_index', nullable: true })
  userIdIndex!: string | null;

  @Column({ type: 'timestamptz', name: 'last_prompted_at', nullable: true })
  lastPromptedAt!: Date | null;

  @Column({ type: 'int', name: 'prompted_version', nullable: true })
  promptedVersion!: number | null;

  @Column({ type: 'int', name: 'granted_version', nullable: true })
  grantedVersion!: number | null;

  @Column({ type: 'text', name: 'granted_purposes', array: true, default: () => "'{}'" })
  grantedPurposes!: string[];

  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'uuid', name: 'issued_outbound_id', nullable: true })
  issuedOutboundId!: string | null;

  @Column({ type: 'text', name: 'issued_purpose', nullable: true })
  issuedPurpose!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
