import { CreateCryptoTables1700000000100, cryptoEntities } from '@trustline/crypto';
import { DataSource } from 'typeorm';

export const TEST_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let counter = 0;

/** Unique, lowercase, Postgres-safe name for this test process. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

/** A DataSource on the real PostgreSQL in `schema` (a replica of a service: each call opens its own pool). */
export async function replicaDataSource(schema: string): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: TEST_URL,
    schema,
    entities: [...cryptoEntities],
    migrations: [CreateCryptoTables1700000000100],
    migrationsRun: false,
    synchronize: false,
    extra: { max: 8 },
  });
  await dataSource.initialize();
  return dataSource;
}

/** A fresh schema with the crypto migration applied; `drop` removes it and closes the DataSource. */
export async function createCryptoSchema(prefix: string): Promise<{
  schema: string;
  dataSource: DataSource;
  drop: () => Promise<void>;
}> {
  const schema = uniqueName(prefix);
  const dataSource = await replicaDataSource(schema);
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  await dataSource.runMigrations();
  return {
    schema,
    dataSource,
    drop: async () => {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
