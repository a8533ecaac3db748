import type { DataSource } from 'typeorm';

/** Structurally the observability lib's `ReadinessCheck`, so services can register it without glue. */
export interface DatabaseReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** The database did not answer `SELECT 1` in time. */
class DatabaseCheckTimeoutError extends Error {
  override readonly name = 'DatabaseCheckTimeoutError';
}

/**
 * Readiness check: `SELECT 1` through the service's DataSource (so through its pool, or the embedded session lock),
 * failing after `timeoutMs`. Throws when the database is unreachable, not initialized, or too slow.
 */
export function databaseHealthCheck(dataSource: DataSource, timeoutMs = 1_500): DatabaseReadinessCheck {
  return {
    name: 'database',
    check: async () => {
      if (!dataSource.isInitialized) {
        throw new Error('data source is not initialized');
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new DatabaseCheckTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([dataSource.query('SELECT 1'), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
