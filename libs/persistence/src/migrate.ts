import { MigrationExecutor, type DataSource } from 'typeorm';
import { assertSchemaName } from './schema-name';
import { isSessionLockedDriver } from './session-locked-pg-driver';

/**
 * Brings the service's schema up to date: creates the schema when missing, then applies pending migrations, each in
 * its own transaction (what `dataSource.runMigrations({ transaction: 'each' })` does, but on the one session that
 * also holds the lock). On PostgreSQL a session advisory lock per schema makes replicas that start together take
 * turns: the first applies, the others find nothing to do. Returns the names of the migrations applied.
 */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  assertSchemaName(schema);
  // The embedded PGlite lives in this process only, and its session lock already serializes everything.
  const onServer = !isSessionLockedDriver(
    dataSource.options.type === 'postgres' ? dataSource.options.driver : undefined,
  );
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  try {
    if (onServer) {
      // Waiting for another replica's migrations, and long DDL, must not hit the service's statement timeout.
      await runner.query('SET statement_timeout = 0');
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`trustline.migrate.${schema}`]);
    }
    try {
      // CREATE SCHEMA checks the database CREATE privilege even when the schema exists, and service roles lack it.
      const existing = (await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])) as unknown[];
      if (existing.length === 0) {
        await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      }
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      if (onServer) {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`trustline.migrate.${schema}`]);
        await runner.query('RESET statement_timeout');
      }
    }
  } finally {
    await runner.release();
  }
}
