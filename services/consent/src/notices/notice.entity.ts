import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Each notice text exactly as first shown (per tenant, version and language), so the ledger's notice version always
 * points at the words the contact saw. A version's text never changes: a changed text needs a new version.
 */
@Entity('notice')
export class NoticeEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_notice' })
  tenantId!: string;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_notice' })
  version!: number;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_notice' })
  language!: string;

  @Column({ type: 'jsonb' })
  purposes!: { purpose: string; required: boolean; lawfulBasis: string }[];

  /** The prompt as sent (body and buttons), JSON. Not personal data. */
  @Column({ type: 'text' })
  prompt!: string;

  @Column({ type: 'text', name: 'prompt_sha256' })
  promptSha256!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'first_shown_at' })
  firstShownAt!: Date;
}
