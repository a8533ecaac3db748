import {
  UnknownSubjectError,
  type ContractRegistry,
  type EventEnvelope,
  type EventSubjectOf,
  type PayloadOf,
} from '@trustline/contracts';
import type { DataSource } from 'typeorm';
import { describeFailure } from '../delivery/dead-letter.rules';
import { ContractKindError } from '../errors/contract-kind.error';
import { PublisherNotAllowedError } from '../errors/publisher-not-allowed.error';
import { canPublishSerialized, type MessageBus } from '../message-bus';
import { noopLogger, type MessagingLogger } from '../messaging-logger';
import { tablePath } from './table-path';

export interface OutboxRelayOptions {
  /** Rows claimed and published per pass. Default 500. */
  readonly batchSize?: number;
  /** Passes also run this often without a poke: crash recovery, rows staged by other replicas. Default 250 ms. */
  readonly pollIntervalMs?: number;
  /** How long a claimed batch is reserved for this relay; a relay that dies lets go after it. Default 30 s. */
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

type Claimed = { readonly rows: OutboxRow[] } | { readonly error: unknown };

function settled(claim: Promise<OutboxRow[]>): Promise<Claimed> {
  return claim.then(
    (rows) => ({ rows }),
    (error: unknown) => ({ error }),
  );
}

/** Errors that republishing will not cure: the row waits for an operator (or a fixed registry). */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof UnknownSubjectError || error instanceof PublisherNotAllowedError || error instanceof ContractKindError
  );
}

/**
 * Publishes committed outbox rows. Each pass claims a batch (`FOR UPDATE SKIP LOCKED`, so relays of several
 * replicas never take the same rows) by stamping `locked_until` in one short statement, publishes the batch
 * concurrently with msgID = envelope id, and deletes what the bus accepted. No transaction is held while the bus
 * is awaited (PGlite has a single session). A relay that dies mid-batch leaves rows that the next pass takes once
 * their claim expires; republishing them is deduplicated by msgID.
 */
export class OutboxRelay<R extends ContractRegistry> {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
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
  }

  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the pass under way (its rows are published and deleted), then stops. */
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

  /** One pass: claim a batch, publish it, delete what was published. */
  async relayOnce(): Promise<RelayPass> {
    return this.publishClaimed(await this.claim());
  }

  /** Publishes claimed rows concurrently, then deletes the published ones and lets go of the others. */
  private async publishClaimed(rows: readonly OutboxRow[]): Promise<RelayPass> {
    if (rows.length === 0) {
      return { claimed: 0, published: 0, failed: 0 };
    }
    const table = tablePath(this.dataSource, 'outbox_event');
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
    if (published.length > 0) {
      await this.dataSource.query(`DELETE FROM ${table} WHERE "id" = ANY($1::uuid[])`, [published]);
    }
    await this.release(retry);
    if (park.length > 0) {
      await this.dataSource.query(
        `UPDATE ${table} SET "locked_until" = now() + $2 * interval '1 millisecond' WHERE "id" = ANY($1::uuid[])`,
        [park, this.parkMs],
      );
    }
    return { claimed: rows.length, published: published.length, failed: retry.length };
  }

  /** Gives claimed rows back at once instead of when their claim expires. */
  private async release(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await this.dataSource.query(
        `UPDATE ${tablePath(this.dataSource, 'outbox_event')} SET "locked_until" = NULL WHERE "id" = ANY($1::uuid[])`,
        [ids],
      );
    }
  }

  private async claim(): Promise<OutboxRow[]> {
    const table = tablePath(this.dataSource, 'outbox_event');
    const runner = this.dataSource.createQueryRunner();
    try {
      // Rows come back in no particular order; a batch is published concurrently anyway, so only batches follow
      // created_at (oldest first), not the events within one.
      const result = await runner.query(
        `UPDATE ${table} SET "locked_until" = now() + $2 * interval '1 millisecond' ` +
          `WHERE "id" IN (SELECT "id" FROM ${table} WHERE "locked_until" IS NULL OR "locked_until" < now() ` +
          `ORDER BY "created_at" LIMIT $1 FOR UPDATE SKIP LOCKED) ` +
          `RETURNING "id", "subject", "envelope"->>'producer' AS "producer", "envelope"::text AS "body", "headers"`,
        [this.batchSize, this.claimMs],
        true,
      );
      return (result as { records: OutboxRow[] }).records;
    } finally {
      await runner.release();
    }
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
        claimed = next.rows.length;
        if (claimed === this.batchSize && this.running) {
          ahead = settled(this.claim());
        }
        const pass = await this.publishClaimed(next.rows);
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
    const left = await ahead;
    if (left && 'rows' in left) {
      await this.release(left.rows.map((row) => row.id)).catch((error: unknown) => {
        this.logger.warn(describeFailure(error), 'could not release claimed outbox rows; their claim will expire');
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
