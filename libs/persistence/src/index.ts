export { affectedRows } from './affected-rows';
export {
  dataSourceOptions,
  type EntityDefinition,
  type MigrationClass,
  type PostgresDataSourceOptions,
  type ServiceDataSourceSettings,
} from './data-source-options';
export type { Database, EmbeddedDatabase, PostgresDatabase } from './database';
export { databaseHealthCheck, type DatabaseReadinessCheck } from './database-health-check';
export { DB_SSL_MODES, databaseEnv, type DatabaseEnv, type DbSslMode } from './database.env';
export { EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
export { migrate } from './migrate';
export { openDatabase, postgresDatabase } from './open-database';
export { PersistenceModule, type PersistenceModuleOptions } from './persistence.module';
export { QuietTypeormLogger } from './quiet-typeorm.logger';
export { SessionLock } from './session-lock';
export { SessionWaitTimeoutError } from './session-wait-timeout.error';
export { tablePath } from './table-path';
