import {
  UnknownSubjectError,
  type ContractRegistry,
  type EventEnvelope,
  type EventSubjectOf,
  type PayloadOf,
} from '@trustline/contracts';
import { tablePath } from '@trustline/persistence';
import type { DataSource, QueryRunner } from 'typeorm';
import { describeFailure } from '../delivery/dead-letter.rules';
import { ContractKindError } from '../errors/contract-kind.error';
import { PublisherNotAllowedError } from '../errors/publisher-not-allowed.error';
import { canPublishSerialized, type MessageBus } from '../message-bus';
import { noopLogger, type MessagingLogger } from '../messaging-logger';

/**
 * How a relay takes a batch so that relays of other replicas do not take it too:
 * - `lock`: in a transaction, delete the batch `FOR UPDATE SKIP LOCKED`, publish, then commit (or roll back
 *   what could not be published). One write per row; the transaction stays open while the bus is awaited.
 * - `lease`: stamp the batch `locked_until` in one short statement, publish, then delete. No transaction is held
 *   while the bus is awaited: the only choice on a single-session database (PGlite), where a held transaction
 *   would block every other query of the process.
 * - `auto` (default): `lock` when the DataSource's pool has at least 4 connections, else `lease`.
 */
export type OutboxClaimMode = 'auto' | 'lock' | 'lease';

export interface OutboxRelayOptions {
  /** Rows claimed and published per pass. Default 500. */
  readonly batchSize?: number;
  /** Passes also run this often without a poke: crash recovery, rows staged by other replicas. Default 250 ms. */
  readonly pollIntervalMs?: number;
  readonly claim?: OutboxClaimMode;
  /** `lease` mode: how long a claimed batch is reserved; a relay that dies lets go after it. Default 30 s. */
  readonly claimMs?: number;
  /** Waits after passes that failed to publish, growing per consecutive failure. Default [250, 1000, 5000]. */
  readonly retryBackoffMs?: readonly number[];
  /** A row the registry refuses (unknown subject, producer not allowed) is set aside this long. Default 1 h. */
  readonly parkMs?: number;
  readonly logger?: MessagingLogger;
}

export interface RelayPass {
  readonly claimed: number;
  readonly published: number;
  readonly failed: number;
}

interface OutboxRow {
  readonly id: string;
  readonly subject: string;
  readonly producer: string;
  /** The envelope as JSON text: handed to the transport as is. */
  readonly body: string;
  readonly headers: Record<string, string>;
}

interface Outcome {
  readonly published: readonly string[];
  readonly retry: readonly string[];
  readonly park: readonly string[];
}

/** A claimed batch and how to finish it once its rows have been published (or not). */
interface Claim {
  readonly rows: readonly OutboxRow[];
  settle(outcome: Outcome): Promise<void>;
}

type Claimed = { readonly claim: Claim } | { readonly error: unknown };

function settled(claim: Promise<Claim>): Promise<Claimed> {
  return claim.then(
    (value) => ({ claim: value }),
    (error: unknown) => ({ error }),
  );
}

/** Errors that republishing will not cure: the row waits for an operator (or a fixed registry). */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof UnknownSubjectError ||
    error instanceof PublisherNotAllowedError ||
    error instanceof ContractKindError
  );
}

const RETURNING = `RETURNING "id", "subject", "envelope"->>'producer' AS "producer", "envelope"::text AS "body", "headers"`;

/**
 * Publishes committed outbox rows, batch after batch: each batch is published concurrently with msgID = envelope
 * id and removed once the bus has accepted it; while one batch is published the next is already being claimed.
 * Rows of a relay that dies mid-batch are taken by the next pass (lock: at once, as the transaction is rolled
 * back; lease: once the claim expires) and republished, which the msgID deduplicates.
 */
export class OutboxRelay<R extends ContractRegistry> {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly mode: 'lock' | 'lease';
  private readonly claimMs: number;
  private readonly retryBackoffMs: readonly number[];
  private readonly parkMs: number;
  private readonly logger: MessagingLogger;
  private running = false;
  private loop: Promise<void> | undefined;
  private poked = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus<R>,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.claimMs = options.claimMs ?? 30_000;
    this.retryBackoffMs = options.retryBackoffMs ?? [250, 1000, 5000];
    this.parkMs = options.parkMs ?? 3_600_000;
    this.logger = options.logger ?? noopLogger;
    const claim = options.claim ?? 'auto';
    this.mode = claim === 'auto' ? (poolSize(dataSource) >= 4 ? 'lock' : 'lease') : claim;
  }

  /** The claim mode in use (`auto` resolved). */
  get claimMode(): 'lock' | 'lease' {
    return this.mode;
  }

  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the pass under way (its rows are published and removed), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Something was committed: run a pass now instead of at the next poll. */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  /** One pass: claim a batch, publish it, remove what was published. */
  async relayOnce(): Promise<RelayPass> {
    return this.publishClaimed(await this.claim());
  }

  private claim(): Promise<Claim> {
    return this.mode === 'lock' ? this.claimLocked() : this.claimLeased();
  }

  private async publishClaimed(claim: Claim): Promise<RelayPass> {
    const { rows } = claim;
    if (rows.length === 0) {
      await claim.settle({ published: [], retry: [], park: [] });
      return { claimed: 0, published: 0, failed: 0 };
    }
    const bus = this.bus;
    const outcomes = await Promise.allSettled(
      rows.map((row) =>
        canPublishSerialized(bus)
          ? bus.publishSerialized(row.subject, row, row.body, { headers: row.headers })
          : bus.publish(
              row.subject as EventSubjectOf<R>,
              JSON.parse(row.body) as EventEnvelope<PayloadOf<R, EventSubjectOf<R>>>,
              { headers: row.headers },
            ),
      ),
    );
    const published: string[] = [];
    const retry: string[] = [];
    const park: string[] = [];
    outcomes.forEach((outcome, index) => {
      const row = rows[index];
      if (!row) {
        return;
      }
      if (outcome.status === 'fulfilled') {
        published.push(row.id);
        return;
      }
      const failure = describeFailure(outcome.reason);
      if (isPermanent(outcome.reason)) {
        park.push(row.id);
        this.logger.error({ subject: row.subject, eventId: row.id, ...failure }, 'outbox row refused, set aside');
      } else {
        retry.push(row.id);
        this.logger.warn({ subject: row.subject, eventId: row.id, ...failure }, 'outbox publish failed');
      }
    });
    await claim.settle({ published, retry, park });
    return { claimed: rows.length, published: published.length, failed: retry.length };
  }

  /** `lock`: the batch is deleted in an open transaction, committed once published. */
  private async claimLocked(): Promise<Claim> {
    const table = tablePath(this.dataSource, 'outbox_event');
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const rows = await this.records(
        runner,
        `DELETE FROM ${table} WHERE "id" IN (SELECT "id" FROM ${table} ` +
          `WHERE "locked_until" IS NULL OR "locked_until" < now() ` +
          `ORDER BY "created_at" LIMIT $1 FOR UPDATE SKIP LOCKED) ${RETURNING}`,
        [this.batchSize],
      );
      return {
        rows,
        settle: async ({ retry, park }) => {
          try {
            if (retry.length === 0 && park.length === 0) {
              await runner.commitTransaction();
              return;
            }
            // Everything comes back; what was published already is deduplicated by its msgID next time.
            await runner.rollbackTransaction();
            await this.park(park);
          } finally {
            await runner.release();
          }
        },
      };
    } catch (error) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch(() => undefined);
      }
      await runner.release();
      throw error;
    }
  }

  /** `lease`: the batch is stamped `locked_until` in one statement, deleted once published. */
  private async claimLeased(): Promise<Claim> {
    const table = tablePath(this.dataSource, 'outbox_event');
    const runner = this.dataSource.createQueryRunner();
    let rows: OutboxRow[];
    try {
      rows = await this.records(
        runner,
        `UPDATE ${table} SET "locked_until" = now() + $2 * interval '1 millisecond' ` +
          `WHERE "id" IN (SELECT "id" FROM ${table} WHERE "locked_until" IS NULL OR "locked_until" < now() ` +
          `ORDER BY "created_at" LIMIT $1 FOR UPDATE SKIP LOCKED) ${RETURNING}`,
        [this.batchSize, this.claimMs],
      );
    } finally {
      await runner.release();
    }
    return {
      rows,
      settle: async ({ published, retry, park }) => {
        if (published.length > 0) {
          await this.dataSource.query(`DELETE FROM ${table} WHERE "id" = ANY($1::uuid[])`, [published]);
        }
        if (retry.length > 0) {
          await this.dataSource.query(`UPDATE ${table} SET "locked_until" = NULL WHERE "id" = ANY($1::uuid[])`, [
            retry,
          ]);
        }
        await this.park(park);
      },
    };
  }

  /** Sets refused rows aside for `parkMs` so that they do not hold up the rest. */
  private async park(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await this.dataSource.query(
        `UPDATE ${tablePath(this.dataSource, 'outbox_event')} ` +
          `SET "locked_until" = now() + $2 * interval '1 millisecond' WHERE "id" = ANY($1::uuid[])`,
        [ids, this.parkMs],
      );
    }
  }

  /** Rows of a data-modifying statement (TypeORM returns [rows, count] for those unless asked for records). */
  private async records(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<OutboxRow[]> {
    const result = (await runner.query(sql, parameters, true)) as { records?: OutboxRow[] };
    return result.records ?? [];
  }

  private async run(): Promise<void> {
    let failures = 0;
    // While a full batch is being published, the next one is already being claimed: database and bus round
    // trips overlap instead of adding up.
    let ahead: Promise<Claimed> | undefined;
    while (this.running) {
      this.poked = false;
      let claimed = 0;
      try {
        const next = await (ahead ?? settled(this.claim()));
        ahead = undefined;
        if ('error' in next) {
          throw next.error;
        }
        claimed = next.claim.rows.length;
        if (claimed === this.batchSize && this.running) {
          ahead = settled(this.claim());
        }
        const pass = await this.publishClaimed(next.claim);
        failures = pass.failed > 0 ? failures + 1 : 0;
      } catch (error) {
        failures += 1;
        this.logger.error(describeFailure(error), 'outbox relay pass failed');
      }
      if (!this.running) {
        break;
      }
      if (failures > 0) {
        const delay = this.retryBackoffMs[Math.min(failures, this.retryBackoffMs.length) - 1] ?? this.pollIntervalMs;
        await this.sleep(delay, false);
      } else if (claimed < this.batchSize) {
        await this.sleep(this.pollIntervalMs, true);
      }
    }
    // A batch claimed ahead but not published: give it back now rather than when a claim expires.
    const left = await ahead;
    if (left && 'claim' in left) {
      const ids = left.claim.rows.map((row) => row.id);
      await left.claim.settle({ published: [], retry: ids, park: [] }).catch((error: unknown) => {
        this.logger.warn(describeFailure(error), 'could not give back claimed outbox rows; their claim will expire');
      });
    }
  }

  /** Waits `ms`, or less when stopped (or poked, if `wakeOnPoke`). */
  private sleep(ms: number, wakeOnPoke: boolean): Promise<void> {
    if (wakeOnPoke && this.poked) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = () => {
        if (!this.running || wakeOnPoke) {
          finish();
        }
      };
    });
  }
}

/** Connections the DataSource's pool may open (TypeORM `poolSize`, else pg's `max`, else pg's default of 10). */
function poolSize(dataSource: DataSource): number {
  const options = dataSource.options as { poolSize?: number; extra?: { max?: number; poolSize?: number } };
  return options.poolSize ?? options.extra?.max ?? options.extra?.poolSize ?? 10;
}
