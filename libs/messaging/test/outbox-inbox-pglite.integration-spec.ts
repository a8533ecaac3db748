import { createEnvelope, type EventEnvelope } from '@trustline/contracts';
import {
  createInProcessBus,
  CreateMessagingTables1700000000000,
  Inbox,
  messagingEntities,
  Outbox,
  OutboxRelay,
  type InProcessBus,
  type Subscription,
} from '@trustline/messaging';
import { dataSourceOptions, EmbeddedPostgres, type EmbeddedDatabase } from '@trustline/persistence';
import { DataSource } from 'typeorm';
import type { ProbeRecordedV1 } from './contracts/probe-recorded.v1';
import { uniqueName, waitFor } from './support/wait';
import { FACT, testContracts, type TestContracts } from './test-contracts';

/**
 * Standalone mode: two services' schemas on one embedded PGlite (one backend session for the whole process) and
 * the in-process bus. The relay must never hold the session while it waits on the bus, or the consumer's inbox
 * transaction (same session) could not run.
 */
describe('outbox and inbox on the embedded PGlite (standalone mode)', () => {
  let database: EmbeddedDatabase;
  let producer: DataSource;
  let consumer: DataSource;
  let bus: InProcessBus<TestContracts>;
  let subscription: Subscription | undefined;

  async function serviceDataSource(schema: string): Promise<DataSource> {
    const dataSource = new DataSource(
      dataSourceOptions({
        schema,
        entities: [...messagingEntities],
        migrations: [CreateMessagingTables1700000000000],
        database,
      }),
    );
    await dataSource.initialize();
    await dataSource.query(`CREATE SCHEMA "${schema}"`);
    await dataSource.runMigrations();
    return dataSource;
  }

  beforeAll(async () => {
    database = await EmbeddedPostgres.open(`memory://${uniqueName('messaging')}`);
    producer = await serviceDataSource('consent');
    consumer = await serviceDataSource('audit');
    await consumer.query(`CREATE TABLE "audit"."probe_effect" ("event_id" uuid PRIMARY KEY)`);
    bus = createInProcessBus(testContracts);
    await bus.start();
  }, 60_000);

  afterAll(async () => {
    await subscription?.stop();
    await bus?.close();
    await producer?.destroy();
    await consumer?.destroy();
    await database?.close();
  });

  it('relays staged events and applies each once, on one session, without holding it while publishing', async () => {
    const relay = new OutboxRelay(producer, bus, { pollIntervalMs: 50, batchSize: 20 });
    expect(relay.claimMode).toBe('lease');
    const outbox = new Outbox(testContracts, relay);
    const inbox = new Inbox(consumer);
    const applied: boolean[] = [];
    subscription = await bus.consume({
      subject: FACT,
      consumer: 'audit',
      backoffMs: [10],
      concurrency: 4,
      handler: async (envelope, delivery) => {
        applied.push(
          await inbox.process('audit', envelope, async (manager) => {
            await manager.query(`INSERT INTO "audit"."probe_effect" ("event_id") VALUES ($1)`, [envelope.id]);
          }),
        );
        if (envelope.data.sequence % 10 === 0 && delivery.attempt === 1) {
          throw new Error('lost ack after the effect committed');
        }
      },
    });
    const events: EventEnvelope<ProbeRecordedV1>[] = Array.from({ length: 50 }, (_, sequence) =>
      createEnvelope({ producer: 'consent', tenantId: 'tenant-a', data: { label: 'standalone', sequence } }),
    );
    for (let start = 0; start < events.length; start += 10) {
      await outbox.transaction(producer, async (_manager, stage) => {
        for (const event of events.slice(start, start + 10)) {
          await stage(FACT, event);
        }
      });
    }

    relay.start();
    try {
      await waitFor('every event applied and every redelivery seen', () => applied.length === 55, 20_000);
    } finally {
      await relay.stop();
    }
    expect(applied.filter((ran) => ran)).toHaveLength(50);
    const effects: unknown[] = await consumer.query(`SELECT "event_id" FROM "audit"."probe_effect"`);
    expect(effects).toHaveLength(50);
    const left: unknown[] = await producer.query(`SELECT "id" FROM "consent"."outbox_event"`);
    expect(left).toEqual([]);
  });
});
