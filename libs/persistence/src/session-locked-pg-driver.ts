import type { PGlite } from '@electric-sql/pglite';
import { PglitePgConnection } from '@electric-sql/pglite/node-postgres';
import { Client, Pool, defaults, type ClientConfig, type PoolClient, type PoolConfig } from 'pg';
import type { SessionLock } from './session-lock';

type ConnectCallback = (
  err: Error | undefined,
  client: PoolClient | undefined,
  done: (release?: Error | boolean) => void,
) => void;

/** What TypeORM's Postgres driver takes from `options.driver` (it calls `new driver.Pool(...)`, reads `defaults`). */
export interface PgDriver {
  readonly Pool: typeof Pool;
  readonly defaults: typeof defaults;
}

const embeddedDrivers = new WeakSet<object>();

/** Whether TypeORM options use a driver made by {@link sessionLockedPgDriver} (i.e. the embedded PGlite). */
export function isSessionLockedDriver(driver: unknown): boolean {
  return typeof driver === 'object' && driver !== null && embeddedDrivers.has(driver);
}

/** A transaction left open at release must not be inherited by the next service on the shared session. */
class LeakedTransactionError extends Error {
  override readonly name = 'LeakedTransactionError';
}

/**
 * node-postgres for TypeORM on an embedded PGlite, made safe for several DataSources on one PGlite.
 *
 * PGlite has ONE backend session. pglite's node-postgres adapter turns each pg protocol message into a call on that
 * session, so two pools (one per service) would interleave their statements: a statement of one service could run
 * inside another service's open transaction. Here every pool checks clients out only while holding the PGlite's
 * process-wide {@link SessionLock}, from `connect()` until `release()`; one client at a time uses the session.
 *
 * Also: each pg client gets its own adapter connection (the adapter's config shares one connection object between
 * all clients of a pool, and an ended client's late 'end' event would reach its successor); idle clients are never
 * ended (there is no socket to free); and a client released inside a transaction has it rolled back and is discarded
 * before the session is handed on.
 */
export function sessionLockedPgDriver(pglite: PGlite, lock: SessionLock, waitTimeoutMs: number): PgDriver {
  class PgliteClient extends Client {
    constructor(config?: ClientConfig) {
      super({ ...config, connection: new PglitePgConnection({ pglite }) } as ClientConfig);
    }
  }

  class SessionLockedPool extends Pool {
    constructor(config?: PoolConfig) {
      super({ ...config, Client: PgliteClient, idleTimeoutMillis: 0 });
    }

    override connect(): Promise<PoolClient>;
    override connect(callback: ConnectCallback): void;
    override connect(callback?: ConnectCallback): Promise<PoolClient> | void {
      if (!callback) {
        return this.checkOut();
      }
      void this.checkOutTo(callback);
    }

    private async checkOutTo(callback: ConnectCallback): Promise<void> {
      let client: PoolClient;
      try {
        client = await this.checkOut();
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)), undefined, () => undefined);
        return;
      }
      callback(undefined, client, (release) => client.release(release));
    }

    private async checkOut(): Promise<PoolClient> {
      const unlock = await lock.acquire(waitTimeoutMs);
      let client: PoolClient;
      try {
        client = await super.connect();
      } catch (error) {
        unlock();
        throw error;
      }
      const returnToPool = client.release.bind(client);
      let released = false;
      client.release = (err?: Error | boolean) => {
        if (released) {
          returnToPool(err); // pg reports the double release
          return;
        }
        released = true;
        const status = client.getTransactionStatus();
        if (status !== 'T' && status !== 'E') {
          returnToPool(err);
          unlock();
          return;
        }
        void rollBackThen(() => {
          returnToPool(err instanceof Error ? err : new LeakedTransactionError('released inside a transaction'));
          unlock();
        });
      };
      return client;
    }
  }

  async function rollBackThen(handOn: () => void): Promise<void> {
    try {
      await pglite.exec('ROLLBACK');
    } catch {
      // the client is discarded either way
    } finally {
      handOn();
    }
  }

  const driver: PgDriver = { Pool: SessionLockedPool, defaults };
  embeddedDrivers.add(driver);
  return driver;
}
