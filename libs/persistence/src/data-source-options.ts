import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { DataSourceOptions, EntitySchema, MigrationInterface } from 'typeorm';
import type { Database } from './database';
import { QuietTypeormLogger } from './quiet-typeorm.logger';
import { assertSchemaName } from './schema-name';
import { sessionLockedPgDriver } from './session-locked-pg-driver';

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/** An entity class (or EntitySchema). Listed explicitly: no globs. */
export type EntityDefinition = (abstract new (...args: never[]) => object) | EntitySchema;

/** A migration class, e.g. `CreateConsentGrant1718000000000`. */
export type MigrationClass = new () => MigrationInterface;

export interface ServiceDataSourceSettings {
  /** The service's schema (`consent`, `conversation_ai`, …): tables and the migrations table live there. */
  readonly schema: string;
  readonly entities: readonly EntityDefinition[];
  readonly migrations: readonly MigrationClass[];
  readonly database: Database;
  /** Shown in pg_stat_activity. Default `trustline-<schema>`. */
  readonly applicationName?: string;
  /** Receives TypeORM's migration progress and warnings (never SQL or parameters). Default: dropped. */
  readonly onTypeormMessage?: (message: string) => void;
}

/**
 * TypeORM options for one service: its schema, its entities and migrations, never `synchronize`, migrations run
 * explicitly by `migrate()`. On PostgreSQL: pool size, TLS and statement timeout from the environment. On the
 * embedded PGlite: pglite's node-postgres adapter behind the process-wide session lock, one client per DataSource.
 */
export function dataSourceOptions(settings: ServiceDataSourceSettings): PostgresDataSourceOptions {
  const { schema, database } = settings;
  assertSchemaName(schema);
  const common = {
    type: 'postgres' as const,
    schema,
    entities: [...settings.entities],
    migrations: [...settings.migrations],
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    // TypeORM's query and error logs print bound parameters, i.e. personal data in clear.
    logging: false,
    logger: new QuietTypeormLogger(settings.onTypeormMessage),
    applicationName: settings.applicationName ?? `trustline-${schema}`,
  };
  if (database.kind === 'postgres') {
    return {
      ...common,
      url: database.url,
      poolSize: database.poolMax,
      ssl: database.ssl,
      connectTimeoutMS: 10_000,
      extra: { statement_timeout: database.statementTimeoutMs > 0 ? database.statementTimeoutMs : false },
    };
  }
  return {
    ...common,
    poolSize: 1,
    driver: sessionLockedPgDriver(database.pglite, database.session, database.sessionWaitTimeoutMs),
    extra: createPgConfig(database.pglite),
  };
}
