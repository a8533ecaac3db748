import { num, str, url } from 'envalid';

export const DB_SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type DbSslMode = (typeof DB_SSL_MODES)[number];

/**
 * The persistence lib's environment (envalid spec fragment; services spread it into their own spec).
 * Without DATABASE_URL the service runs on the embedded PGlite under `<DATA_DIR>/pglite`.
 */
export const databaseEnv = {
  DATABASE_URL: url({
    default: undefined,
    desc: 'PostgreSQL URL (postgres://role:password@host:5432/db). Unset: embedded PGlite under DATA_DIR.',
  }),
  DATA_DIR: str({ default: '.data', desc: 'Where the embedded database keeps its files (<DATA_DIR>/pglite).' }),
  DB_POOL_MAX: num({ default: 10, desc: 'Connections per service to PostgreSQL (the embedded database uses 1).' }),
  DB_SSL_MODE: str({
    choices: DB_SSL_MODES,
    default: 'disable',
    desc: 'TLS to PostgreSQL: disable, require (encrypted, server not verified) or verify-full (CA + host name).',
  }),
  DB_SSL_CA: str({
    default: undefined,
    requiredWhen: (env) => env.DB_SSL_MODE === 'verify-full',
    desc: 'Path of the PEM CA bundle that signed the PostgreSQL server certificate (required for verify-full).',
  }),
  DB_STATEMENT_TIMEOUT_MS: num({
    default: 30_000,
    desc: 'Statement timeout on PostgreSQL; on the embedded database, the longest wait for its single session.',
  }),
};

/** The validated variables the persistence lib reads (a service's cleaned config is a superset). */
export interface DatabaseEnv {
  readonly DATABASE_URL?: string | undefined;
  readonly DATA_DIR: string;
  readonly DB_POOL_MAX: number;
  readonly DB_SSL_MODE: DbSslMode;
  readonly DB_SSL_CA?: string | undefined;
  readonly DB_STATEMENT_TIMEOUT_MS: number;
}
