import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One version of a tenant's keys, both wrapped by the root key version `rootKeyVersion`: the wrapping key (wraps
 * the tenant's subject keys; a new one per version) and the blind-index key (the same in every version, so indexes
 * stay stable). The highest version is current. No schema here: it lives in the schema of the service's DataSource.
 */
@Entity('tenant_key')
export class TenantKeyEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_tenant_key' })
  tenantId!: string;

  @PrimaryColumn({ type: 'integer', name: 'version', primaryKeyConstraintName: 'PK_tenant_key' })
  version!: number;

  @Column({ type: 'integer', name: 'root_key_version' })
  rootKeyVersion!: number;

  @Column({ type: 'bytea', name: 'wrapped' })
  wrapped!: Buffer;

  @Column({ type: 'bytea', name: 'index_wrapped' })
  indexWrapped!: Buffer;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
