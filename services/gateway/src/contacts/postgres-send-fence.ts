import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceMetrics } from '@trustline/observability';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type ClientConfig } from 'pg';
import type { EntityManager } from 'typeorm';
import { SendFence, type LockInTransaction, type SendFenceLimits, type SendLease } from './send-fence';
import { intentLockArgs, sendFenceKey, sortedFenceKeys, type ContactKey } from './send-fence-key.rules';
import { SendFenceUnavailableError } from './send-fence-unavailable.error';

const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;
/** After giving up on a busy fence, or losing it: when to try the command again. */
const RETRY_IN_MS = 1_000;

const NO_LOCK_NEEDED: LockInTransaction = () => Promise.resolve();

/** Where the fence runs on PostgreSQL: its own connection, and how many hold changes may wait at once. */
export interface PostgresSendFenceSettings {
  readonly connection: ClientConfig;
  /** Hold-change transactions of this process that may wait for sends at once (each keeps a pool connection). */
  readonly concurrentHoldChanges: number;
}

/**
 * The fence in distributed mode (several gateway replicas on one PostgreSQL): two advisory locks per contact, both
 * from {@link sendFenceKey}: the FENCE lock (bigint key) that sends hold shared across their Cloud API call, and the
 * INTENT lock ({@link intentLockArgs}) that tells new sends to stand back while a hold change is under way.
 *
 * Sends: a SESSION-level shared fence lock on ONE connection that this process keeps for the fence. Not a pool
 * connection per send: the sender runs 32 sends at once against a pool of 10, and each would keep its connection
 * across the Cloud API call. Since that one connection serves every send of the process, nothing may block on it: a
 * send, in one statement, takes the intent lock shared for an instant (`try`: refused while a hold change holds it),
 * then the fence lock shared (`try`: refused while a hold change holds it or waits for it), and lets the intent lock
 * go; refused, it pauses a few ms and tries again, up to `sendWaitMs`. (The intent lock also covers what the fence
 * lock cannot: PostgreSQL grants a lock a session already holds without looking at who waits, so a second send to a
 * contact on this connection would otherwise slip past a waiting hold change.)
 *
 * Hold changes: TRANSACTION-level exclusive locks, taken first thing in the transaction that changes the holds, before
 * any row (so a waiting hold change holds no row a send might need): every contact's intent lock, then every
 * contact's fence lock, each in ascending key order (hold changes never wait for each other in a cycle). Holding all
 * the intent locks first means that no new send to any of its contacts starts while it waits for the ones in flight,
 * so a batch of contacts waits about as long as its slowest send in flight, not the sum of them. The locks and the new
 * holds commit together. While it waits it keeps a pool connection, so at most `concurrentHoldChanges` of them wait at
 * once (the senders still need the pool to claim their commands, and must be able to finish what the hold change
 * waits for), and `lock_timeout` bounds the wait.
 */
export class PostgresSendFence extends SendFence implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PostgresSendFence.name);
  private readonly holdChangeSlots: Slots;
  private client: Client | undefined;
  /** The fence connection's statements, one after another (a pg client must not be given a second one meanwhile). */
  private queue: Promise<unknown> = Promise.resolve();
  private connecting: Promise<Client> | undefined;
  /** Bumped whenever the fence connection is lost: a lease from an earlier session no longer holds anything. */
  private session = 0;
  private closed = false;

  constructor(
    private readonly settings: PostgresSendFenceSettings,
    metrics: ServiceMetrics,
    limits: SendFenceLimits,
  ) {
    super(metrics, limits);
    this.holdChangeSlots = new Slots(Math.max(1, settings.concurrentHoldChanges));
  }

  async whileSending<T>(contact: ContactKey, send: (lease: SendLease) => Promise<T>): Promise<T> {
    const key = sendFenceKey(contact);
    const startedAt = performance.now();
    const deadline = Date.now() + this.limits.sendWaitMs;
    let pause = FIRST_PAUSE_MS;
    let session: number;
    for (;;) {
      const client = await this.connection();
      session = this.session;
      if (await this.tryShared(client, key)) {
        break;
      }
      if (Date.now() + pause > deadline) {
        this.events.inc({ event: 'busy' });
        throw new SendFenceUnavailableError('hold-change', RETRY_IN_MS);
      }
      await sleep(pause);
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
    this.observeWait('send', startedAt);
    try {
      return await send({
        confirm: () => {
          if (this.session !== session) {
            throw new SendFenceUnavailableError('connection-lost', RETRY_IN_MS);
          }
        },
      });
    } finally {
      await this.releaseShared(key, session);
    }
  }

  async changingHolds<T>(
    contacts: readonly ContactKey[],
    change: (lockInTransaction: LockInTransaction) => Promise<T>,
  ): Promise<T> {
    const keys = sortedFenceKeys(contacts);
    if (keys.length === 0) {
      return change(NO_LOCK_NEEDED);
    }
    const startedAt = performance.now();
    const release = await this.holdChangeSlots.take();
    try {
      let locked = false;
      const result = await change(async (manager) => {
        await this.lockExclusive(manager, keys);
        locked = true;
        this.observeWait('hold-change', startedAt);
      });
      if (!locked) {
        throw new Error('a hold change committed without taking its fences: call lockInTransaction first');
      }
      return result;
    } finally {
      release();
    }
  }

  /** Connects ahead of the first send, so that no send pays for it; a failure here is retried by the first send. */
  onApplicationBootstrap(): void {
    this.connection().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async lockExclusive(manager: EntityManager, keys: readonly bigint[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('the fences of a hold change are taken inside its transaction');
    }
    await manager.query(`SELECT set_config('lock_timeout', $1, true)`, [`${this.limits.holdWaitMs}ms`]);
    for (const key of keys) {
      await manager.query('SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [...intentLockArgs(key)]);
    }
    for (const key of keys) {
      await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [key.toString()]);
    }
    await manager.query('SET LOCAL lock_timeout TO DEFAULT');
  }

  private async tryShared(client: Client, key: bigint): Promise<boolean> {
    try {
      // The intent lock is let go in the same statement: it is only a gate that a hold change can close. (Safety does
      // not depend on it: a send that gets the fence lock is waited for by any hold change that follows.)
      const rows = await this.query<{ taken: boolean[] }>(
        client,
        `SELECT CASE WHEN pg_try_advisory_lock_shared($1::int4, $2::int4)
                     THEN ARRAY[pg_try_advisory_lock_shared($3::bigint), pg_advisory_unlock_shared($1::int4, $2::int4)]
                     ELSE ARRAY[false, true] END AS taken`,
        [...intentLockArgs(key), key.toString()],
      );
      return rows[0]?.taken[0] === true;
    } catch (error) {
      this.lost(client, error);
      throw new SendFenceUnavailableError('connection-lost', RETRY_IN_MS);
    }
  }

  private async releaseShared(key: bigint, session: number): Promise<void> {
    const client = this.client;
    if (session !== this.session || client === undefined) {
      return; // that session is gone, and PostgreSQL dropped its locks with it
    }
    try {
      await this.query(client, 'SELECT pg_advisory_unlock_shared($1)', [key.toString()]);
    } catch (error) {
      this.lost(client, error);
    }
  }

  private query<R extends object>(client: Client, text: string, values: unknown[]): Promise<R[]> {
    const result = this.queue.then(async () => (await client.query<R>(text, values)).rows);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private connection(): Promise<Client> {
    if (this.closed) {
      return Promise.reject(new SendFenceUnavailableError('connection-lost', RETRY_IN_MS));
    }
    if (this.client) {
      return Promise.resolve(this.client);
    }
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<Client> {
    const client = new Client(this.settings.connection);
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
    } catch (error) {
      this.logger.warn({ error: error instanceof Error ? error.name : 'unknown' }, 'send fence cannot connect');
      await client.end().catch(() => undefined);
      throw new SendFenceUnavailableError('connection-lost', RETRY_IN_MS);
    }
    if (this.session > 0) {
      this.logger.warn({ session: this.session }, 'send fence reconnected');
    }
    this.client = client;
    return client;
  }

  /**
   * The fence connection broke. PostgreSQL drops a session's locks when the session ends, so the sends in flight no
   * longer hold their contacts' fences and a hold change may be granted while they run: those that have not yet
   * claimed their command learn it from `lease.confirm()` and are tried again later; a Cloud API call already on its
   * way cannot be recalled — the exposure is limited to the calls in flight at that moment. (If the server has not
   * noticed yet, the old session keeps its locks a while longer: hold changes only wait longer, which is safe.)
   * The next send opens a new connection.
   */
  private lost(client: Client, error: unknown): void {
    if (this.client !== client) {
      return;
    }
    this.client = undefined;
    this.session += 1;
    if (!this.closed) {
      this.events.inc({ event: 'connection-lost' });
      this.logger.warn(
        { error: error instanceof Error ? error.name : 'ended' },
        'send fence connection lost: sends in flight lose their fence; reconnecting',
      );
    }
    client.end().catch(() => undefined);
  }
}

/** A counting semaphore, FIFO. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async take(): Promise<() => void> {
    if (this.free > 0) {
      this.free -= 1;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.free += 1;
      }
    };
  }
}
