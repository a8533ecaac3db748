import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantKeyEntity } from './tenant-key.entity';

/**
 * A subject's current data key, wrapped by version `tenantKeyVersion` of its tenant's wrapping key (the foreign key
 * keeps that version from being deleted while a subject key needs it). `keyId` (8 random bytes) is carried by every
 * ciphertext sealed under it, so a key re-created after an erasure cannot open the erased data. Deleting the row is
 * the crypto-shredding.
 */
@Entity('subject_key')
@Index('IDX_subject_key_tenant_key', ['tenantId', 'tenantKeyVersion'])
export class SubjectKeyEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_subject_key' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text', name: 'subject_ref', primaryKeyConstraintName: 'PK_subject_key' })
  subjectRef!: string;

  @Column({ type: 'bytea', name: 'key_id' })
  keyId!: Buffer;

  @Column({ type: 'integer', name: 'tenant_key_version' })
  tenantKeyVersion!: number;

  @ManyToOne(() => TenantKeyEntity, { nullable: false, onDelete: 'NO ACTION', onUpdate: 'NO ACTION' })
  @JoinColumn([
    { name: 'tenant_id', referencedColumnName: 'tenantId', foreignKeyConstraintName: 'FK_subject_key_tenant_key' },
    { name: 'tenant_key_version', referencedColumnName: 'version' },
  ])
  tenantKey?: TenantKeyEntity;

  @Column({ type: 'bytea', name: 'wrapped' })
  wrapped!: Buffer;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
