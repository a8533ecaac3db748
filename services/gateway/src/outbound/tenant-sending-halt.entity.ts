import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tenant whose sending is halted (Meta error 368: account restricted) until an operator resumes it. */
@Entity('tenant_sending_halt')
export class TenantSendingHaltEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_tenant_sending_halt' })
  tenantId!: string;

  @Column({ type: 'integer', name: 'error_code' })
  errorCode!: number;

  @Column({ type: 'timestamptz', name: 'halted_at' })
  haltedAt!: Date;
}
