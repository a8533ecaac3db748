import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One destroyed subject key: identifiers only (tenant, pseudonymous subject reference, key id), no personal data.
 * Re-applied after a restore so that keys a backup brings back are destroyed again.
 */
@Entity('shred_list')
export class ShredRecordEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_shred_list' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text', name: 'subject_ref', primaryKeyConstraintName: 'PK_shred_list' })
  subjectRef!: string;

  @PrimaryColumn({ type: 'bytea', name: 'key_id', primaryKeyConstraintName: 'PK_shred_list' })
  keyId!: Buffer;

  @CreateDateColumn({ type: 'timestamptz', name: 'shredded_at' })
  shreddedAt!: Date;
}
