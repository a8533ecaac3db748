import { databaseEnv, dataSourceOptions, migrate, openDatabase, type Database } from '@trustline/persistence';
import { cleanEnv } from 'envalid';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConsentNoteEntity } from './fixtures/consent-note.entity';
import { GatewayLogEntity } from './fixtures/gateway-log.entity';
import { consentService, gatewayService, type TestService } from './fixtures/services';
import { createTestDatabase, type TestDatabase } from './fixtures/test-database';

jest.setTimeout(60_000);

interface Target {
  database: Database;
  cleanUp(): Promise<void>;
}

/** Real PostgreSQL (fresh database) or the embedded PGlite (fresh data directory): the same code runs on both. */
const targets: Record<'postgres' | 'embedded', () => Promise<Target>> = {
  postgres: async () => {
    const testDatabase = await createTestDatabase();
    const database = await openDatabase(cleanEnv({ DATABASE_URL: testDatabase.url }, databaseEnv));
    return { database, cleanUp: () => testDatabase.drop() };
  },
  embedded: async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'trustline-persist-'));
    const database = await openDatabase(cleanEnv({ DATA_DIR: dataDir }, databaseEnv));
    return {
      database,
      cleanUp: async () => {
        await database.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

function open(service: TestService, database: Database): Promise<DataSource> {
  return new DataSource(dataSourceOptions({ ...service, database })).initialize();
}

describe.each(['postgres', 'embedded'] as const)('migrate() on %s', (kind) => {
  let target: Target;
  let consent: DataSource;
  let gateway: DataSource;

  beforeAll(async () => {
    target = await targets[kind]();
    consent = await open(consentService, target.database);
    gateway = await open(gatewayService, target.database);
  });

  afterAll(async () => {
    await Promise.all([consent?.destroy(), gateway?.destroy()]);
    await target?.cleanUp();
  });

  it('creates each schema and applies that service’s migrations, returning their names', async () => {
    expect(await migrate(consent, 'consent')).toEqual([
      'CreateConsentNote1700000000000',
      'AddConsentNoteLabelIndex1700000000001',
    ]);
    expect(await migrate(gateway, 'gateway')).toEqual(['CreateGatewayLog1700000000000']);
  });

  it('keeps every table, index and migration history inside its service’s schema, nothing in public', async () => {
    const tables: { schemaname: string; tablename: string }[] = await consent.query(
      `SELECT schemaname, tablename FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename`,
    );
    expect(tables).toEqual([
      { schemaname: 'consent', tablename: 'consent_note' },
      { schemaname: 'consent', tablename: 'migrations' },
      { schemaname: 'gateway', tablename: 'gateway_log' },
      { schemaname: 'gateway', tablename: 'migrations' },
    ]);
    const inPublic: unknown[] = await consent.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
    );
    expect(inPublic).toEqual([]);
    const indexes: { schemaname: string; indexname: string }[] = await consent.query(
      `SELECT schemaname, indexname FROM pg_indexes WHERE indexname = 'IDX_consent_note_label'`,
    );
    expect(indexes).toEqual([{ schemaname: 'consent', indexname: 'IDX_consent_note_label' }]);
    const history: { name: string }[] = await gateway.query(`SELECT name FROM "gateway"."migrations"`);
    expect(history.map((row) => row.name)).toEqual(['CreateGatewayLog1700000000000']);
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(consent, 'consent')).toEqual([]);
    expect(await migrate(gateway, 'gateway')).toEqual([]);
    const [{ count }]: { count: string }[] = await consent.query(`SELECT count(*) FROM "consent"."migrations"`);
    expect(Number(count)).toBe(2);
  });

  it('maps the entities onto their service’s schema', async () => {
    await consent.getRepository(ConsentNoteEntity).insert({ label: 'note' });
    await gateway.getRepository(GatewayLogEntity).insert({ label: 'log' });
    const note = await consent.getRepository(ConsentNoteEntity).findOneByOrFail({ label: 'note' });
    expect(note.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(note.createdAt).toBeInstanceOf(Date);
    const rows: { label: string }[] = await gateway.query(`SELECT label FROM "gateway"."gateway_log"`);
    expect(rows).toEqual([{ label: 'log' }]);
  });

  if (kind === 'embedded') {
    it('keeps the embedded database under <DATA_DIR>/pglite', async () => {
      expect(target.database.kind).toBe('embedded');
      const dataDir = target.database.kind === 'embedded' ? target.database.dataDir : '';
      expect(dataDir.endsWith('/pglite')).toBe(true);
      expect((await stat(join(dataDir, 'PG_VERSION'))).isFile()).toBe(true);
    });
  }
});

describe('migrate() by replicas starting together on PostgreSQL', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });

  afterAll(async () => {
    await testDatabase?.drop();
  });

  it('applies each migration once, even with one connection per replica', async () => {
    // DB_POOL_MAX=1: the advisory lock and the migrations share one session, so a replica cannot block itself.
    const env = cleanEnv({ DATABASE_URL: testDatabase.url, DB_POOL_MAX: '1' }, databaseEnv);
    const replicas = await Promise.all(
      Array.from({ length: 3 }, async () => open(consentService, await openDatabase(env))),
    );
    try {
      const applied = await Promise.all(replicas.map((replica) => migrate(replica, 'consent')));
      expect(applied.flat().sort()).toEqual([
        'AddConsentNoteLabelIndex1700000000001',
        'CreateConsentNote1700000000000',
      ]);
      expect(applied.filter((names) => names.length > 0)).toHaveLength(1);
      const history: { name: string }[] = await replicas[0].query(`SELECT name FROM "consent"."migrations"`);
      expect(history).toHaveLength(2);
      // The migration session had its statement timeout lifted; it is back for whoever uses the connection next.
      const [{ statement_timeout }]: { statement_timeout: string }[] =
        await replicas[0].query('SHOW statement_timeout');
      expect(statement_timeout).toBe('30s');
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
    }
  });
});
