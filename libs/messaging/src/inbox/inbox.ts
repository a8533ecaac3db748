import type { EventEnvelope } from '@trustline/contracts';
import { tablePath } from '@trustline/persistence';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The consumer side of exactly-once effects over at-least-once delivery: the event id is recorded in the same
 * transaction as the effect, so a redelivered event finds its id already there and changes nothing.
 */
export class Inbox {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `effect` in one transaction with recording `(consumer, envelope.id)`, unless that pair is already
   * recorded. Resolves to whether the effect ran. If the effect throws, nothing is recorded (the redelivery
   * tries again). A concurrent duplicate waits for the first to commit, then skips.
   */
  process(
    consumer: string,
    envelope: Pick<EventEnvelope<unknown>, 'id'>,
    effect: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await claimInboxEntry(manager, consumer, envelope.id))) {
        return false;
      }
      await effect(manager);
      return true;
    });
  }

  /** Whether the consumer has already applied the event. */
  async hasProcessed(consumer: string, eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM ${tablePath(this.dataSource, 'inbox_event')} WHERE "consumer" = $1 AND "event_id" = $2`,
      [consumer, eventId],
    );
    return rows.length > 0;
  }

  /**
   * Forgets ids processed before `cutoff`. Safe once nothing older can be redelivered: pick a cutoff older than
   * the streams' max age (24 h by default).
   */
  async prune(cutoff: Date): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(
        `DELETE FROM ${tablePath(this.dataSource, 'inbox_event')} WHERE "processed_at" < $1`,
        [cutoff],
        true,
      );
      return (result as { affected?: number }).affected ?? 0;
    } finally {
      await runner.release();
    }
  }
}

/**
 * Inside the caller's transaction (e.g. one that also stages outbox events): records `(consumer, eventId)` and
 * resolves whether this is its first delivery. The record commits or rolls back with the caller's effect; a
 * concurrent duplicate waits for the first to commit, then gets false.
 */
export async function claimInboxEntry(manager: EntityManager, consumer: string, eventId: string): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO ${tablePath(manager.connection, 'inbox_event')} ("consumer", "event_id") VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING "event_id"`,
    [consumer, eventId],
  );
  return inserted.length > 0;
}
