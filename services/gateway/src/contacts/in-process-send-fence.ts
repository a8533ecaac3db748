import type { ServiceMetrics } from '@trustline/observability';
import { KeyedReadWriteLock } from './keyed-read-write-lock';
import { LockWaitTimeoutError } from './lock-wait-timeout.error';
import { SendFence, type LockInTransaction, type SendFenceLimits, type SendLease } from './send-fence';
import { sendFenceKey, sortedFenceKeys, type ContactKey } from './send-fence-key.rules';
import { SendFenceUnavailableError } from './send-fence-unavailable.error';

const HELD: SendLease = { confirm: () => undefined };
const TAKEN_BEFORE_THE_TRANSACTION: LockInTransaction = () => Promise.resolve();

/**
 * The fence in standalone mode: one process, on the embedded PGlite. PGlite has ONE session for the whole process, so
 * a lock or transaction held there across a Cloud API call would stop every query of every service meanwhile; the
 * fence is therefore an in-process readers-writer lock per contact, and a hold change takes it BEFORE opening its
 * transaction and lets go after the commit. Sufficient because nothing else sends for this database.
 */
export class InProcessSendFence extends SendFence {
  private readonly lock = new KeyedReadWriteLock<bigint>();

  constructor(metrics: ServiceMetrics, limits: SendFenceLimits) {
    super(metrics, limits);
  }

  async whileSending<T>(contact: ContactKey, send: (lease: SendLease) => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    let entered = false;
    try {
      return await this.lock.read(
        sendFenceKey(contact),
        () => {
          entered = true;
          this.observeWait('send', startedAt);
          return send(HELD);
        },
        this.limits.sendWaitMs,
      );
    } catch (error) {
      if (!entered && error instanceof LockWaitTimeoutError) {
        this.events.inc({ event: 'busy' });
        throw new SendFenceUnavailableError('hold-change', 1_000);
      }
      throw error;
    }
  }

  changingHolds<T>(
    contacts: readonly ContactKey[],
    change: (lockInTransaction: LockInTransaction) => Promise<T>,
  ): Promise<T> {
    const keys = sortedFenceKeys(contacts);
    if (keys.length === 0) {
      return change(TAKEN_BEFORE_THE_TRANSACTION);
    }
    const startedAt = performance.now();
    return this.lock.write(
      keys,
      () => {
        this.observeWait('hold-change', startedAt);
        return change(TAKEN_BEFORE_THE_TRANSACTION);
      },
      this.limits.holdWaitMs,
    );
  }
}
