import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import {
  dataSourceOptions,
  EmbeddedPostgres,
  migrate,
  SessionWaitTimeoutError,
  type EmbeddedDatabase,
} from '@trustline/persistence';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { ConsentNoteEntity } from './fixtures/consent-note.entity';
import { GatewayLogEntity } from './fixtures/gateway-log.entity';
import { consentService, gatewayService, type TestService } from './fixtures/services';

jest.setTimeout(60_000);

function open(service: TestService, database: EmbeddedDatabase): Promise<DataSource> {
  return new DataSource(dataSourceOptions({ ...service, database })).initialize();
}

async function labels(dataSource: DataSource, table: string, schema: string): Promise<string[]> {
  const rows: { label: string }[] = await dataSource.query(`SELECT label FROM "${schema}"."${table}" ORDER BY label`);
  return rows.map((row) => row.label);
}

describe('TypeORM DataSources sharing one embedded PGlite', () => {
  let database: EmbeddedDatabase;
  let consent: DataSource;
  let gateway: DataSource;

  beforeAll(async () => {
    database = await EmbeddedPostgres.open('memory://pglite-session');
    [consent, gateway] = await Promise.all([open(consentService, database), open(gatewayService, database)]);
    await Promise.all([migrate(consent, 'consent'), migrate(gateway, 'gateway')]);
  });

  afterAll(async () => {
    await Promise.all([consent?.destroy(), gateway?.destroy()]);
    await database?.close();
  });

  beforeEach(async () => {
    await consent.query('DELETE FROM "consent"."consent_note"');
    await gateway.query('DELETE FROM "gateway"."gateway_log"');
  });

  it('keeps a concurrent insert of another DataSource out of a transaction that then rolls back', async () => {
    const runner = consent.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`INSERT INTO "consent"."consent_note" (label) VALUES ('rolled-back')`);

    let concurrentDone = false;
    const concurrent = (async () => {
      await gateway.getRepository(GatewayLogEntity).insert({ label: 'concurrent' });
      concurrentDone = true;
    })();
    await sleep(200);
    expect(concurrentDone).toBe(false); // it waits for the session instead of joining the open transaction
    expect(database.session.waiting).toBe(1);

    await runner.rollbackTransaction();
    await runner.release();
    await concurrent;

    expect(await labels(gateway, 'gateway_log', 'gateway')).toEqual(['concurrent']);
    expect(await labels(consent, 'consent_note', 'consent')).toEqual([]);
  });

  it('ends many concurrent transactions from several DataSources with exactly the committed rows', async () => {
    const consentReplica = await open(consentService, database);
    try {
      const sources = [consent, gateway, consentReplica];
      const outcomes = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          sources[i % 3].transaction(async (manager) => {
            const entity = sources[i % 3] === gateway ? GatewayLogEntity : ConsentNoteEntity;
            await manager.insert(entity, { label: `tx-${String(i).padStart(2, '0')}-a` });
            await sleep(i % 4); // yield, so that other transactions try to run in between
            await manager.insert(entity, { label: `tx-${String(i).padStart(2, '0')}-b` });
            if (i % 5 === 0) {
              throw new Error('abort');
            }
          }),
        ),
      );

      const committed = Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 5 !== 0);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(committed.length);
      const expected = (inGateway: boolean): string[] =>
        committed
          .filter((i) => (i % 3 === 1) === inGateway)
          .flatMap((i) => [`tx-${String(i).padStart(2, '0')}-a`, `tx-${String(i).padStart(2, '0')}-b`]);
      expect(await labels(gateway, 'gateway_log', 'gateway')).toEqual(expected(true));
      expect(await labels(consent, 'consent_note', 'consent')).toEqual(expected(false));
    } finally {
      await consentReplica.destroy();
    }
  });

  it('rolls back a transaction left open at release before another DataSource gets the session', async () => {
    const runner = consent.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`INSERT INTO "consent"."consent_note" (label) VALUES ('leaked')`);
    await runner.release(); // a bug: no commit, no rollback

    await gateway.getRepository(GatewayLogEntity).insert({ label: 'after-leak' });
    await consent.getRepository(ConsentNoteEntity).insert({ label: 'consent-after-leak' });

    expect(await labels(gateway, 'gateway_log', 'gateway')).toEqual(['after-leak']);
    expect(await labels(consent, 'consent_note', 'consent')).toEqual(['consent-after-leak']);
    const [{ open }]: { open: boolean }[] = await gateway.query(
      `SELECT now() <> statement_timestamp() AS open`, // inside a transaction now() is the transaction's start
    );
    expect(open).toBe(false);
  });

  it('fails a checkout that waits for the session longer than the wait timeout', async () => {
    const impatient = await EmbeddedPostgres.open('memory://pglite-session', { sessionWaitTimeoutMs: 150 });
    const holder = consent.createQueryRunner();
    await holder.connect();
    try {
      // Same PGlite, so the same session lock, even though this handle has a shorter wait.
      expect(impatient.pglite).toBe(database.pglite);
      const other = await open(gatewayService, impatient).catch((error: unknown) => error);
      expect(other).toBeInstanceOf(SessionWaitTimeoutError);
    } finally {
      await holder.release();
      await impatient.close();
    }
  });
});

describe('the hazard the session lock removes (plain pglite node-postgres adapter, one pool per DataSource)', () => {
  it('lets another DataSource insert run inside an open transaction and vanish with its rollback', async () => {
    const database = await EmbeddedPostgres.open('memory://pglite-hazard');
    const naive = (service: TestService): Promise<DataSource> =>
      new DataSource({
        ...dataSourceOptions({ ...service, database }),
        driver: undefined, // plain `pg`, no session lock
        extra: createPgConfig(database.pglite),
      }).initialize();
    const [consent, gateway] = [await naive(consentService), await naive(gatewayService)];
    try {
      await migrate(consent, 'consent');
      await migrate(gateway, 'gateway');
      const runner = consent.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await gateway.getRepository(GatewayLogEntity).insert({ label: 'concurrent' });
      await runner.rollbackTransaction();
      await runner.release();
      expect(await labels(gateway, 'gateway_log', 'gateway')).toEqual([]);
    } finally {
      await consent.destroy();
      await gateway.destroy();
      await database.close();
    }
  });
});
