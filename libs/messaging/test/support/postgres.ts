import { CreateMessagingTables1700000000000, messagingEntities } from '@trustline/messaging';
import { DataSource } from 'typeorm';

/**
 * A DataSource on the real PostgreSQL in a schema of its own (created here, dropped by `drop`), with the
 * messaging migration applied, like a service's DataSource.
 */
export async function createTestDataSource(
  schema: string,
): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.destroy();
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema,
    entities: [...messagingEntities],
    migrations: [CreateMessagingTables1700000000000],
    migrationsRun: false,
    synchronize: false,
    extra: { max: 8 },
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    dataSource,
    drop: async () => {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
