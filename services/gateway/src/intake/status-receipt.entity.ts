import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Each (wamid, status) Meta reported, applied once however often it is delivered. */
@Entity('status_receipt')
export class StatusReceiptEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_status_receipt' })
  wamid!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_status_receipt' })
  status!: string;

  @Column({ type: 'text', name: 'tenant_id' })
  tenantId!: string;

  @Column({ type: 'timestamptz', name: 'received_at' })
  receivedAt!: Date;
}
