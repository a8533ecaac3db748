import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlsOptions } from 'node:tls';
import type { Database, PostgresDatabase } from './database';
import type { DatabaseEnv } from './database.env';
import { EmbeddedPostgres } from './embedded-postgres';

// TLS comes from DB_SSL_MODE only: libpq-style parameters in the URL would silently override it in node-postgres.
const URL_TLS_PARAMETERS = ['ssl', 'sslmode', 'sslcert', 'sslkey', 'sslrootcert', 'sslnegotiation'];

/**
 * Opens what the service will persist to: PostgreSQL when DATABASE_URL is set, otherwise the process-wide embedded
 * PGlite under `<DATA_DIR>/pglite` (shared with the other services of the process). Errors name variables, never
 * values (the URL holds a password).
 */
export async function openDatabase(env: DatabaseEnv): Promise<Database> {
  if (env.DATABASE_URL === undefined) {
    return EmbeddedPostgres.open(join(env.DATA_DIR, 'pglite'), { sessionWaitTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS });
  }
  return postgresDatabase(env.DATABASE_URL, env);
}

/** The PostgreSQL settings for `url` (no I/O except reading the CA file). */
export function postgresDatabase(
  url: string,
  env: Pick<DatabaseEnv, 'DB_POOL_MAX' | 'DB_SSL_MODE' | 'DB_SSL_CA' | 'DB_STATEMENT_TIMEOUT_MS'>,
): PostgresDatabase {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL: not a valid URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  }
  const tlsParameter = URL_TLS_PARAMETERS.find((name) => parsed.searchParams.has(name));
  if (tlsParameter) {
    throw new Error(`DATABASE_URL: remove "${tlsParameter}" from the URL; TLS is configured by DB_SSL_MODE/DB_SSL_CA`);
  }
  if (!Number.isInteger(env.DB_POOL_MAX) || env.DB_POOL_MAX < 1) {
    throw new Error('DB_POOL_MAX: must be an integer >= 1');
  }
  if (!(env.DB_STATEMENT_TIMEOUT_MS >= 0)) {
    throw new Error('DB_STATEMENT_TIMEOUT_MS: must be >= 0');
  }
  return {
    kind: 'postgres',
    url,
    poolMax: env.DB_POOL_MAX,
    ssl: tlsOptions(env),
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    close: () => Promise.resolve(),
  };
}

function tlsOptions(env: Pick<DatabaseEnv, 'DB_SSL_MODE' | 'DB_SSL_CA'>): false | TlsOptions {
  switch (env.DB_SSL_MODE) {
    case 'disable':
      return false;
    case 'require':
      // Encrypted but unauthenticated, like libpq's sslmode=require: only for networks you already trust.
      return { rejectUnauthorized: false, minVersion: 'TLSv1.3' };
    case 'verify-full': {
      if (!env.DB_SSL_CA) {
        throw new Error('DB_SSL_CA: required when DB_SSL_MODE=verify-full');
      }
      let ca: string;
      try {
        ca = readFileSync(env.DB_SSL_CA, 'utf8');
      } catch {
        throw new Error('DB_SSL_CA: cannot read the CA file');
      }
      // Node verifies the chain against `ca` and the certificate's names against the host (checkServerIdentity).
      return { ca, rejectUnauthorized: true, minVersion: 'TLSv1.3' };
    }
  }
}
