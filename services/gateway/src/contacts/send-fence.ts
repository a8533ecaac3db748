import type { ServiceMetrics } from '@trustline/observability';
import type { Counter, Histogram } from 'prom-client';
import type { EntityManager } from 'typeorm';
import type { ContactKey } from './send-fence-key.rules';

/**
 * Called first thing inside a hold change's transaction: takes the contacts' fences there (PostgreSQL), or does
 * nothing where they were taken before the transaction opened (in-process).
 */
export type LockInTransaction = (manager: EntityManager) => Promise<void>;

/** A send's shared hold on its contact's fence. */
export interface SendLease {
  /**
   * Throws SendFenceUnavailableError if the hold was lost since it was granted (its database connection broke).
   * Call it right before the point of no return (the claim that precedes the Cloud API call).
   */
  confirm(): void;
}

/** What a hold change waits for, and what a send waits for (and how long before it gives up). */
export interface SendFenceLimits {
  /** Longest a send waits for a hold change of its contact before it is handed back for later. */
  readonly sendWaitMs: number;
  /** Longest a hold change waits for the sends in flight to its contacts (they are bounded by the send timeout). */
  readonly holdWaitMs: number;
}

/**
 * The per-contact fence that makes a contact's hold (opt-out, marketing stop) and the sends to that contact exclusive
 * of each other, so that no send decided before a hold change reaches WhatsApp after it:
 * - a send holds its contact's fence SHARED from reading the hold until its Cloud API call returns
 *   ({@link whileSending}); sends to a contact run side by side;
 * - a hold change holds the fences of the contacts it changes EXCLUSIVE until its transaction commits
 *   ({@link changingHolds}): it waits for the sends in flight to them, and every send that starts later reads the
 *   new hold. Sends that arrive while it waits queue behind it.
 * Two implementations, chosen by the database kind: PostgreSQL advisory locks (several gateway replicas) and an
 * in-process readers-writer lock (standalone, one process on the embedded PGlite).
 */
export abstract class SendFence {
  protected readonly waits: Histogram<'side'>;
  protected readonly events: Counter<'event'>;

  protected constructor(
    metrics: ServiceMetrics,
    protected readonly limits: SendFenceLimits,
  ) {
    this.waits = metrics.histogram({
      name: 'trustline_gateway_send_fence_wait_seconds',
      help: 'Time to take a contact fence: by sends (shared) and by hold changes (exclusive, waiting for sends in flight)',
      labelNames: ['side'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.events = metrics.counter({
      name: 'trustline_gateway_send_fence_events_total',
      help: 'Send fence events: sends handed back while a hold change lasted (busy), fence connections lost',
      labelNames: ['event'],
    });
  }

  /** Runs `send` holding `contact`'s fence shared; SendFenceUnavailableError if it cannot be had in time. */
  abstract whileSending<T>(contact: ContactKey, send: (lease: SendLease) => Promise<T>): Promise<T>;

  /**
   * Runs `change` (which opens the transaction that changes the holds of `contacts`) holding their fences exclusive.
   * `change` must call the `lockInTransaction` it is given first thing inside its transaction, before any row.
   */
  abstract changingHolds<T>(
    contacts: readonly ContactKey[],
    change: (lockInTransaction: LockInTransaction) => Promise<T>,
  ): Promise<T>;

  protected observeWait(side: 'send' | 'hold-change', startedAt: number): void {
    this.waits.observe({ side }, (performance.now() - startedAt) / 1_000);
  }
}
