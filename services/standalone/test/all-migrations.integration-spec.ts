import { schemaOf } from '@trustline/contracts';
import { dataSourceOptions, EmbeddedPostgres, migrate, postgresDatabase, type Database } from '@trustline/persistence';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ALL_SERVICES as services } from '../src/all-services';

/** Runs every service's real migrations on `database`, then returns `schema.table` for every table there is. */
async function migrateAll(
  database: Database,
): Promise<{ applied: string[][]; tables: string[]; expectedTables: string[]; drift: string[] }> {
  const applied: string[][] = [];
  let tables: string[] = [];
  const expectedTables: string[] = [];
  const drift: string[] = [];
  for (const service of services) {
    const schema = schemaOf(service.name);
    const dataSource = await new DataSource(
      dataSourceOptions({ schema, entities: service.entities, migrations: service.migrations, database }),
    ).initialize();
    try {
      applied.push(await migrate(dataSource, schema));
      // The tables the entities declare (plus TypeORM's migrations table) are exactly what the migrations built…
      expectedTables.push(
        `${schema}.migrations`,
        ...dataSource.entityMetadatas.map((metadata) => `${schema}.${metadata.tableName}`),
      );
      // …and TypeORM finds nothing to change between the entities and the migrated schema.
      const pending = await dataSource.driver.createSchemaBuilder().log();
      drift.push(...pending.upQueries.map((query) => `${service.name}: ${query.query}`));
      tables = (
        await dataSource.query<{ name: string }[]>(
          `SELECT schemaname || '.' || tablename AS name FROM pg_tables
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
        )
      ).map((row) => row.name);
    } finally {
      await dataSource.destroy();
    }
  }
  return { applied, tables, expectedTables: expectedTables.sort(), drift };
}

// The same migrations run on real PostgreSQL and on PGlite, and every table lives in its service's schema.
describe("every service's migrations", () => {
  it('run on the embedded PGlite, each service in its own schema, and a second run applies nothing', async () => {
    const database = await EmbeddedPostgres.open(`memory://all-migrations-${randomBytes(4).toString('hex')}`);
    try {
      const first = await migrateAll(database);
      expect(first.applied.map((names) => names.length)).toEqual(services.map((service) => service.migrations.length));
      expect(first.tables).toEqual(first.expectedTables);
      expect(first.drift).toEqual([]);
      expect((await migrateAll(database)).applied.flat()).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('run on real PostgreSQL with the same result', async () => {
    const name = `trustline_migrations_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    url.pathname = `/${name}`;
    const database = postgresDatabase(url.href, {
      DB_POOL_MAX: 2,
      DB_SSL_MODE: 'disable',
      DB_STATEMENT_TIMEOUT_MS: 30_000,
    });
    try {
      const first = await migrateAll(database);
      expect(first.tables).toEqual(first.expectedTables);
      expect(first.drift).toEqual([]);
      expect((await migrateAll(database)).applied.flat()).toEqual([]);
    } finally {
      await database.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
