import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  freePort,
  PlatformProcess,
  portVariable,
  SERVICE_NAMES,
  servicePorts,
  waitForReady,
} from './support/platform-process';

// `npm run start:distributed`: six processes on the local PostgreSQL (a role per service) and NATS JetStream.
jest.setTimeout(120_000);

describe('distributed mode', () => {
  const suffix = randomBytes(4).toString('hex');
  const database = `trustline_e2e_${suffix}`;
  let platform: PlatformProcess | undefined;

  afterAll(async () => {
    await platform?.kill();
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('becomes ready against the local PostgreSQL and NATS, each service in its own schema and role, and stops cleanly', async () => {
    const ports = await servicePorts();
    const simulatorPort = await freePort();
    platform = new PlatformProcess('tools/start-distributed.mjs', {
      ...ports,
      SIMULATOR_PORT: String(simulatorPort),
      DATABASE_ADMIN_URL: process.env.TEST_DATABASE_URL,
      TRUSTLINE_DATABASE: database,
      NATS_URL: process.env.TEST_NATS_URL,
      NATS_STREAM_PREFIX: `TLE2E_${suffix}`,
      NATS_SUBJECT_PREFIX: `e2e${suffix}.`,
      LAUNCHER_TRACE: '1',
    });
    for (const name of SERVICE_NAMES) {
      const ready = await waitForReady(`http://127.0.0.1:${ports[portVariable(name)]}/health/ready`, platform);
      expect(ready).toMatchObject({
        status: 'ready',
        service: name,
        checks: { database: { status: 'up' }, bus: { status: 'up' } },
      });
    }

    // The simulator process plays Meta: a user's message reaches the gateway process, signed, and is accepted.
    const inbound = await fetch(`http://127.0.0.1:${simulatorPort}/_sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '5511987654321', name: 'Ana Souza', text: 'Olá!' }),
    });
    expect(await inbound.json()).toMatchObject({ status: 200 });

    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    url.pathname = `/${database}`;
    const db = new Client({ connectionString: url.href });
    await db.connect();
    try {
      const { rows } = await db.query<{ schema: string; owner: string; tables: string }>(
        `SELECT n.nspname AS schema, pg_get_userbyid(n.nspowner) AS owner,
                string_agg(c.relname, ',' ORDER BY c.relname) AS tables
           FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind = 'r'
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') GROUP BY 1, 2 ORDER BY 1`,
      );
      const gatewayTables = [
        'contact',
        'inbound_message',
        'inbox_event',
        'migrations',
        'outbound_message',
        'outbox_event',
        'preference_receipt',
        'service_window',
        'shred_list',
        'status_receipt',
        'subject_key',
        'tenant_key',
        'tenant_sending_halt',
        'unrouted_webhook',
      ];
      expect(rows).toEqual(
        ['audit', 'consent', 'conversation_ai', 'dsar', 'gateway', 'retention'].map((schema) => ({
          schema,
          owner: schema,
          tables: schema === 'gateway' ? gatewayTables.join(',') : 'inbox_event,migrations,outbox_event',
        })),
      );
    } finally {
      await db.end();
      await admin.end();
    }

    platform.signal('SIGTERM');
    const exit = await platform.exited;
    if (exit.code !== 0) {
      // Show the lines that explain it, not the whole boot log.
      throw new Error(
        `exit ${exit.code}:\n${platform.text
          .split('\n')
          .filter((l) => !l.includes('"level":"debug"'))
          .join('\n')}`,
      );
    }
    expect(exit).toEqual({ code: 0, signal: null });
    expect(platform.text).toContain('[distributed] stopped');
    expect(platform.text).not.toMatch(/"level":"(error|fatal)"/);
  });
});
