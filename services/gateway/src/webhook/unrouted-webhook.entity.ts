import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed webhook change this gateway does not process: a phone_number_id no tenant owns (or another app's), or a
 * change with no number. Acknowledged to Meta, counted, and recorded here — metadata only, no payload.
 */
@Entity('unrouted_webhook')
export class UnroutedWebhookEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_unrouted_webhook' })
  id!: string;

  @Column({ type: 'text', name: 'app_name' })
  appName!: string;

  @Column({ type: 'text', name: 'phone_number_id', nullable: true })
  phoneNumberId!: string | null;

  @Column({ type: 'text', name: 'waba_id' })
  wabaId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'integer', name: 'change_count' })
  changeCount!: number;

  @Column({ type: 'text', name: 'body_sha256' })
  bodySha256!: string;

  @Column({ type: 'timestamptz', name: 'received_at' })
  receivedAt!: Date;
}
