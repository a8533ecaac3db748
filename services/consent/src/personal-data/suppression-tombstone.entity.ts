import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What remains of an opted-out contact after erasure: blind indexes of their WhatsApp identifiers and nothing else
 * (no subject reference, no readable data), so that if they write again they are still suppressed.
 */
@Entity('suppression_tombstone')
@Index('UQ_suppression_tombstone_wa_id', ['tenantId', 'waIdIndex'], {
  unique: true,
  where: '"wa_id_index" IS NOT NULL',
})
@Index('UQ_suppression_tombstone_user_id', ['tenantId', 'userIdIndex'], {
  unique: true,
  where: '"user_id_index" IS NOT NULL',
})
export class SuppressionTombstoneEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'tombstone_id', primaryKeyConstraintName: 'PK_suppression_tombstone' })
  tombstoneId!: string;

  @Column({ type: 'text', name: 'tenant_id' })
  tenantId!: string;

  @Column({ type: 'text', name: 'wa_id_index', nullable: true })
  waIdIndex!: string | null;

  @Column({ type: 'text', name: 'user_id_index', nullable: true })
  userIdIndex!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
