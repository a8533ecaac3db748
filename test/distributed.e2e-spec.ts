import { Client } from 'pg';
import { DistributedPlatform } from './support/distributed-platform';
import { SERVICE_NAMES } from './support/platform-process';

// `npm run start:distributed`: six processes on the local PostgreSQL (a role per service) and NATS JetStream.
jest.setTimeout(120_000);

describe('distributed mode', () => {
  let platform: DistributedPlatform | undefined;

  afterAll(async () => {
    await platform?.dispose();
  });

  it('becomes ready against the local PostgreSQL and NATS, each service in its own schema and role, and stops cleanly', async () => {
    platform = await DistributedPlatform.launch();
    const ready = await platform.ready();
    for (const name of SERVICE_NAMES) {
      expect(ready[name]).toMatchObject({
        status: 'ready',
        service: name,
        checks: { database: { status: 'up' }, bus: { status: 'up' } },
      });
    }

    // The simulator process plays Meta: a user's message reaches the gateway process, signed, and is accepted.
    const inbound = await fetch(`${platform.simulatorUrl}/_sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '5511987654321', name: 'Ana Souza', text: 'Olá!' }),
    });
    expect(await inbound.json()).toMatchObject({ status: 200 });

    const db = new Client({ connectionString: platform.databaseUrl() });
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
      const consentTables = [
        'consent_record',
        'consent_subject',
        'held_message',
        'inbox_event',
        'migrations',
        'notice',
        'outbox_event',
        'purpose_state',
        'shred_list',
        'subject_key',
        'suppression_tombstone',
        'tenant_key',
      ];
      const tablesOf: Record<string, string[]> = { gateway: gatewayTables, consent: consentTables };
      expect(rows).toEqual(
        ['audit', 'consent', 'conversation_ai', 'dsar', 'gateway', 'retention'].map((schema) => ({
          schema,
          owner: schema,
          tables: (tablesOf[schema] ?? ['inbox_event', 'migrations', 'outbox_event']).join(','),
        })),
      );
    } finally {
      await db.end();
    }

    const exit = await platform.stop();
    if (exit.code !== 0) {
      // Show the lines that explain it, not the whole boot log.
      throw new Error(
        `exit ${exit.code}:\n${platform.process.text
          .split('\n')
          .filter((l) => !l.includes('"level":"debug"'))
          .join('\n')}`,
      );
    }
    expect(exit).toEqual({ code: 0, signal: null });
    expect(platform.process.text).toContain('[distributed] stopped');
    expect(platform.process.text).not.toMatch(/"level":"(error|fatal)"/);
  });
});
