import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An event staged in the same transaction as the state change it reports; the relay publishes it after commit and
 * deletes it. No schema here: it lives in the schema of the service's DataSource.
 */
@Entity('outbox_event')
@Index('IDX_outbox_event_created_at', ['createdAt'])
export class OutboxEventEntity {
  /** The envelope id, also the JetStream msgID: republishing after a crash is deduplicated. */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_outbox_event' })
  id!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'jsonb' })
  envelope!: object;

  /** Trace context captured when the event was staged, so the trace continues through the relay. */
  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** Claimed by a relay until then; a relay that dies mid-batch lets go when this passes. */
  @Column({ type: 'timestamptz', name: 'locked_until', nullable: true })
  lockedUntil!: Date | null;
}
