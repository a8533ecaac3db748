import { type ContractRegistry, type EventEnvelope, type EventSubjectOf, type PayloadOf } from '@trustline/contracts';
import { tablePath } from '@trustline/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { assertMayPublish, eventContract } from '../contract/contract-access.rules';
import { captureTraceHeaders } from '../tracing/trace-context';

/** One event to stage: a subject and its envelope, typed together. */
export type OutboxItem<R extends ContractRegistry> = {
  [S in EventSubjectOf<R>]: { readonly subject: S; readonly envelope: EventEnvelope<PayloadOf<R, S>> };
}[EventSubjectOf<R>];

export type StageFn<R extends ContractRegistry> = <S extends EventSubjectOf<R>>(
  subject: S,
  envelope: EventEnvelope<PayloadOf<R, S>>,
) => Promise<void>;

/** id, subject, envelope JSON, headers JSON. */
type OutboxRow = readonly [string, string, string, string];

/** Rows per INSERT statement (4 parameters a row, far below PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 1000;

/**
 * The transactional outbox: an event is written in the same transaction as the state change it reports, so the
 * two commit or roll back together, and the relay publishes it after commit. A crash between commit and publish
 * loses nothing: the row is still there for the next relay pass.
 */
export class Outbox<R extends ContractRegistry> {
  constructor(
    readonly registry: R,
    private readonly relay?: { poke(): void },
  ) {}

  /** Inserts the event in the caller's transaction (refused when the producer may not publish the subject). */
  stage<S extends EventSubjectOf<R>>(
    manager: EntityManager,
    subject: S,
    envelope: EventEnvelope<PayloadOf<R, S>>,
  ): Promise<void> {
    return this.stageAll(manager, [{ subject, envelope }]);
  }

  /** Inserts several events with one statement per thousand rows. Staging an id twice keeps the first. */
  async stageAll(manager: EntityManager, items: readonly OutboxItem<R>[]): Promise<void> {
    const headers = captureTraceHeaders();
    await this.insert(
      manager,
      items.map((item) => this.row(item, headers)),
    );
  }

  /**
   * Runs `work` in a transaction with a `stage` function bound to it. Staged events are checked at once and
   * written with one INSERT just before commit, in the same transaction; after commit the relay is woken so the
   * events go out at once rather than at the next poll.
   */
  async transaction<T>(
    dataSource: DataSource,
    work: (manager: EntityManager, stage: StageFn<R>) => Promise<T>,
  ): Promise<T> {
    const staged: OutboxRow[] = [];
    const result = await dataSource.transaction(async (manager) => {
      const value = await work(manager, (subject, envelope) => {
        try {
          staged.push(this.row({ subject, envelope }, captureTraceHeaders()));
          return Promise.resolve();
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      await this.insert(manager, staged);
      return value;
    });
    if (staged.length > 0) {
      this.relay?.poke();
    }
    return result;
  }

  private row({ subject, envelope }: OutboxItem<R>, headers: Record<string, string>): OutboxRow {
    assertMayPublish(eventContract(this.registry, subject, 'stage'), subject, envelope.producer);
    return [envelope.id, subject, JSON.stringify(envelope), JSON.stringify(headers)];
  }

  private async insert(manager: EntityManager, rows: readonly OutboxRow[]): Promise<void> {
    const table = tablePath(manager.connection, 'outbox_event');
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const values = chunk.map((_, index) => {
        const at = index * 4;
        return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4})`;
      });
      await manager.query(
        `INSERT INTO ${table} ("id", "subject", "envelope", "headers") VALUES ${values.join(', ')} ` +
          `ON CONFLICT ("id") DO NOTHING`,
        chunk.flat(),
      );
    }
  }
}
