import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An event a consumer has applied, recorded in the same transaction as its effect. */
@Entity('inbox_event')
@Index('IDX_inbox_event_processed_at', ['processedAt'])
export class InboxEventEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_inbox_event' })
  consumer!: string;

  @PrimaryColumn({ type: 'uuid', name: 'event_id', primaryKeyConstraintName: 'PK_inbox_event' })
  eventId!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'processed_at' })
  processedAt!: Date;
}
