import { CreateMessagingTables1700000000000 } from '@trustline/messaging';
import type { DataSource } from 'typeorm';
import { createTestDataSource } from './support/postgres';
import { uniqueName } from './support/wait';

describe(CreateMessagingTables1700000000000.name, () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let schema: string;

  beforeAll(async () => {
    schema = uniqueName('messaging_tables');
    ({ dataSource, drop } = await createTestDataSource(schema));
  });

  afterAll(() => drop());

  async function tables(): Promise<string[]> {
    const rows: { table_name: string }[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    return rows.map((row) => row.table_name);
  }

  it('creates the outbox and inbox tables in the schema of the DataSource that runs it', async () => {
    expect(await tables()).toEqual(['inbox_event', 'migrations', 'outbox_event']);
  });

  it('matches the entities exactly: TypeORM finds nothing to change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('drops both tables on the way down', async () => {
    await dataSource.undoLastMigration();
    expect(await tables()).toEqual(['migrations']);
    await dataSource.runMigrations();
    expect(await tables()).toEqual(['inbox_event', 'migrations', 'outbox_event']);
  });
});
