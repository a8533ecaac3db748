import type { PGlite } from '@electric-sql/pglite';
import type { TlsOptions } from 'node:tls';
import type { SessionLock } from './session-lock';

/** A real PostgreSQL server (distributed mode). Each DataSource opens its own pool from these settings. */
export interface PostgresDatabase {
  readonly kind: 'postgres';
  /** The connection URL. It carries the role's password: never log it. */
  readonly url: string;
  readonly poolMax: number;
  /** TLS options for node-postgres (`false`: no TLS). TLS 1.3 minimum when on. */
  readonly ssl: false | TlsOptions;
  readonly statementTimeoutMs: number;
  /** Nothing to free: pools belong to the DataSources. Present so callers can close either kind alike. */
  close(): Promise<void>;
}

/**
 * The process-wide embedded PGlite (standalone mode): one instance per data directory, shared by every service in
 * the process, a schema each. Direct use of `pglite` must hold `session` (see {@link SessionLock}).
 */
export interface EmbeddedDatabase {
  readonly kind: 'embedded';
  /** Absolute data directory, or `memory://…` for an in-memory database. */
  readonly dataDir: string;
  readonly pglite: PGlite;
  /** The lock every client of this PGlite holds from checkout to release. */
  readonly session: SessionLock;
  /** How long a client waits for the session before failing with SessionWaitTimeoutError. */
  readonly sessionWaitTimeoutMs: number;
  /** Releases this user's reference; the last one closes the PGlite. Close DataSources first. */
  close(): Promise<void>;
}

/** What `openDatabase(env)` returns and `dataSourceOptions()` / `PersistenceModule.forService()` take. */
export type Database = PostgresDatabase | EmbeddedDatabase;
