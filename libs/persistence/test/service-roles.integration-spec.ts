import { databaseEnv, dataSourceOptions, migrate, openDatabase } from '@trustline/persistence';
import { cleanEnv } from 'envalid';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, DatabaseError } from 'pg';
import { DataSource } from 'typeorm';
import { consentService } from './fixtures/services';
import { createTestDatabase, type TestDatabase } from './fixtures/test-database';

jest.setTimeout(60_000);

const INIT_SQL = join(__dirname, '../../../deploy/postgres/init.sql');
const SERVICES = ['gateway', 'consent', 'conversation_ai', 'retention', 'dsar', 'audit'] as const;
const INSUFFICIENT_PRIVILEGE = '42501';

function passwords(): Record<(typeof SERVICES)[number], string> {
  return Object.fromEntries(SERVICES.map((s) => [s, randomBytes(18).toString('base64url')])) as Record<
    (typeof SERVICES)[number],
    string
  >;
}

async function runInitSql(url: string, variables: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const args = [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', INIT_SQL];
  for (const [name, value] of Object.entries(variables)) {
    args.push('-v', `${name}=${value}`);
  }
  await promisify(execFile)('psql', args, { env: { PATH: process.env.PATH, ...env } });
}

async function sqlError(client: Client, sql: string): Promise<string | undefined> {
  try {
    await client.query(sql);
    return undefined;
  } catch (error) {
    if (error instanceof DatabaseError) {
      return error.code;
    }
    throw error;
  }
}

describe('deploy/postgres/init.sql', () => {
  let testDatabase: TestDatabase;
  let admin: Client;
  let secrets = passwords();

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    admin = new Client({ connectionString: testDatabase.url });
    await admin.connect();
    await runInitSql(testDatabase.url, Object.fromEntries(SERVICES.map((s) => [`${s}_password`, secrets[s]])));
  });

  afterAll(async () => {
    await admin?.end();
    await testDatabase?.drop();
  });

  async function connectAs(role: (typeof SERVICES)[number]): Promise<Client> {
    const client = new Client({ connectionString: testDatabase.urlFor(role, secrets[role]) });
    await client.connect();
    return client;
  }

  it('creates one login role per service that owns exactly its schema', async () => {
    const { rows } = await admin.query<{ schema: string; owner: string; login: boolean; superuser: boolean }>(
      `SELECT n.nspname AS schema, r.rolname AS owner, r.rolcanlogin AS login, r.rolsuper AS superuser
         FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
        WHERE r.rolname = ANY($1) ORDER BY n.nspname`,
      [SERVICES],
    );
    expect(rows).toEqual(
      [...SERVICES].sort().map((service) => ({ schema: service, owner: service, login: true, superuser: false })),
    );
  });

  it('lets a service create and use tables in its schema only', async () => {
    const gateway = await connectAs('gateway');
    const consent = await connectAs('consent');
    try {
      await gateway.query(`CREATE TABLE gateway.secret_log (value text)`);
      await gateway.query(`INSERT INTO gateway.secret_log VALUES ('private')`);

      await consent.query(`CREATE TABLE consent.note (value text)`);
      await consent.query(`INSERT INTO consent.note VALUES ('mine')`);
      expect((await consent.query(`SELECT value FROM note`)).rows).toEqual([{ value: 'mine' }]); // search_path

      expect(await sqlError(consent, `SELECT * FROM gateway.secret_log`)).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await sqlError(consent, `CREATE TABLE gateway.intruder (value text)`)).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await sqlError(consent, `CREATE TABLE public.intruder (value text)`)).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await sqlError(consent, `CREATE SCHEMA intruder`)).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await sqlError(consent, `ALTER SCHEMA gateway OWNER TO consent`)).toBe(INSUFFICIENT_PRIVILEGE);
    } finally {
      await gateway.end();
      await consent.end();
    }
  });

  it('lets the service role run its own migrations with migrate()', async () => {
    const env = cleanEnv({ DATABASE_URL: testDatabase.urlFor('consent', secrets.consent) }, databaseEnv);
    const dataSource = await new DataSource(
      dataSourceOptions({ ...consentService, database: await openDatabase(env) }),
    ).initialize();
    try {
      expect(await migrate(dataSource, 'consent')).toHaveLength(2);
      const { rows } = await admin.query<{ tableowner: string }>(
        `SELECT tableowner FROM pg_tables WHERE schemaname = 'consent' AND tablename = 'consent_note'`,
      );
      expect(rows).toEqual([{ tableowner: 'consent' }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('can run again: passwords from the environment replace the old ones, nothing else changes', async () => {
    const before = await admin.query<{ rolname: string; rolpassword: string }>(
      `SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname`,
      [SERVICES],
    );
    secrets = passwords();
    await runInitSql(
      testDatabase.url,
      {},
      Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_DB_PASSWORD`, secrets[s]])),
    );
    const after = await admin.query<{ rolname: string; rolpassword: string }>(
      `SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname`,
      [SERVICES],
    );
    expect(after.rows.map((r) => r.rolname)).toEqual(before.rows.map((r) => r.rolname));
    after.rows.forEach((row, i) => expect(row.rolpassword).not.toBe(before.rows[i].rolpassword));
    const { rows } = await admin.query<{ count: string }>(`SELECT count(*) FROM consent.note`);
    expect(rows).toEqual([{ count: '1' }]);
  });

  it('refuses to run without a password for every service', async () => {
    const partial = Object.fromEntries(SERVICES.filter((s) => s !== 'audit').map((s) => [`${s}_password`, secrets[s]]));
    await expect(runInitSql(testDatabase.url, partial)).rejects.toThrow(/password of role audit/);
  });
});
