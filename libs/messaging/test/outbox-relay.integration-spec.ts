import { createEnvelope } from '@trustline/contracts';
import {
  createInProcessBus,
  Outbox,
  OutboxRelay,
  type MessageBus,
  type OutboxItem,
  type PublishOptions,
} from '@trustline/messaging';
import { DataSource } from 'typeorm';
import { createTestDataSource } from './support/postgres';
import { uniqueName, waitFor } from './support/wait';
import { FACT, testContracts, type TestContracts } from './test-contracts';

type Registry = TestContracts;

/**
 * A bus that records what it accepted and can be told to fail. It has no `publishSerialized`, so relays using it
 * take the parse-and-publish path.
 */
class RecordingBus implements MessageBus<Registry> {
  readonly persistent = false;
  readonly accepted: string[] = [];
  failNext = 0;
  private readonly inner = createInProcessBus(testContracts);

  get registry(): Registry {
    return this.inner.registry;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  publish: MessageBus<Registry>['publish'] = async (subject, envelope, options?: PublishOptions) => {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('transport down');
    }
    await this.inner.publish(subject, envelope, options);
    this.accepted.push(envelope.id);
  };

  consume: MessageBus<Registry>['consume'] = (options) => this.inner.consume(options);

  request: MessageBus<Registry>['request'] = (subject, envelope, options) =>
    this.inner.request(subject, envelope, options);

  serve: MessageBus<Registry>['serve'] = (subject, service, handler) => this.inner.serve(subject, service, handler);

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function probes(count: number): OutboxItem<Registry>[] {
  return Array.from({ length: count }, (_, sequence) => ({
    subject: FACT,
    envelope: createEnvelope({
      producer: 'consent',
      tenantId: 'tenant-a',
      data: { label: 'relay', sequence },
    }),
  }));
}

describe(OutboxRelay.name, () => {
  let dataSource: DataSource;
  let replica: DataSource;
  let drop: () => Promise<void>;
  let schema: string;
  const relays: OutboxRelay<Registry>[] = [];

  function relayFor(source: DataSource, bus: MessageBus<Registry>, claim: 'lock' | 'lease'): OutboxRelay<Registry> {
    const relay = new OutboxRelay(source, bus, { claim, batchSize: 50, pollIntervalMs: 20, retryBackoffMs: [30] });
    relays.push(relay);
    return relay;
  }

  async function rows(): Promise<{ id: string; locked: boolean }[]> {
    return dataSource.query(
      `SELECT "id", "locked_until" > now() AS "locked" FROM "${schema}"."outbox_event" ORDER BY "created_at"`,
    );
  }

  beforeAll(async () => {
    schema = uniqueName('messaging_relay');
    ({ dataSource, drop } = await createTestDataSource(schema));
    replica = new DataSource({ ...dataSource.options, extra: { max: 8 } });
    await replica.initialize();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await dataSource.query(`DELETE FROM "${schema}"."outbox_event"`);
  });

  afterAll(async () => {
    await replica?.destroy();
    await drop?.();
  });

  it('holds a claim transaction only when the pool can spare connections', () => {
    const bus = new RecordingBus();
    const small = new DataSource({ type: 'postgres', poolSize: 1 });
    expect(new OutboxRelay(small, bus).claimMode).toBe('lease');
    expect(new OutboxRelay(dataSource, bus).claimMode).toBe('lock');
    expect(new OutboxRelay(dataSource, bus, { claim: 'lease' }).claimMode).toBe('lease');
  });

  describe.each(['lock', 'lease'] as const)('claiming with %s', (claim) => {
    it('publishes every row exactly once with two replicas relaying the same table', async () => {
      const bus = new RecordingBus();
      await bus.start();
      const items = probes(600);
      await dataSource.transaction((manager) => new Outbox(testContracts).stageAll(manager, items));
      relayFor(dataSource, bus, claim).start();
      relayFor(replica, bus, claim).start();

      await waitFor('an empty outbox', async () => (await rows()).length === 0);
      expect(bus.accepted).toHaveLength(600);
      expect(new Set(bus.accepted)).toEqual(new Set(items.map((item) => item.envelope.id)));
      await bus.close();
    });

    it('keeps what could not be published and publishes it once the bus is back', async () => {
      const bus = new RecordingBus();
      await bus.start();
      bus.failNext = 60;
      const items = probes(30);
      await dataSource.transaction((manager) => new Outbox(testContracts).stageAll(manager, items));
      relayFor(dataSource, bus, claim).start();

      await waitFor('an empty outbox', async () => (await rows()).length === 0);
      expect(bus.failNext).toBe(0);
      expect(new Set(bus.accepted)).toEqual(new Set(items.map((item) => item.envelope.id)));
      await bus.close();
    });

    it('sets aside a row the registry refuses and publishes the others', async () => {
      const bus = createInProcessBus(testContracts);
      await bus.start();
      const received: string[] = [];
      const subscription = await bus.consume({
        subject: FACT,
        consumer: 'audit',
        handler: (envelope) => Promise.resolve(void received.push(envelope.id)),
      });
      const good = probes(3);
      const stolen = createEnvelope({ producer: 'dsar', tenantId: 'tenant-a', data: { label: 'stolen', sequence: 0 } });
      await dataSource.transaction(async (manager) => {
        await new Outbox(testContracts).stageAll(manager, good);
        // A row written by older code, before the registry said dsar may not publish this fact.
        await manager.query(
          `INSERT INTO "${schema}"."outbox_event" ("id", "subject", "envelope", "headers") VALUES ($1, $2, $3, '{}')`,
          [stolen.id, FACT, JSON.stringify(stolen)],
        );
      });
      relayFor(dataSource, bus, claim).start();

      await waitFor('the publishable rows', () => received.length === 3);
      await waitFor('only the refused row left', async () => (await rows()).length === 1);
      expect(await rows()).toEqual([{ id: stolen.id, locked: true }]);
      expect(received).not.toContain(stolen.id);
      await subscription.stop();
      await bus.close();
    });
  });

  it('relays once per call with relayOnce, oldest batch first', async () => {
    const bus = new RecordingBus();
    await bus.start();
    const first = probes(2);
    const second = probes(2);
    const outbox = new Outbox(testContracts);
    await dataSource.transaction((manager) => outbox.stageAll(manager, first));
    await dataSource.transaction((manager) => outbox.stageAll(manager, second));
    const relay = new OutboxRelay(dataSource, bus, { batchSize: 2 });

    await expect(relay.relayOnce()).resolves.toEqual({ claimed: 2, published: 2, failed: 0 });
    expect(new Set(bus.accepted)).toEqual(new Set(first.map((item) => item.envelope.id)));
    await expect(relay.relayOnce()).resolves.toEqual({ claimed: 2, published: 2, failed: 0 });
    await expect(relay.relayOnce()).resolves.toEqual({ claimed: 0, published: 0, failed: 0 });
    await bus.close();
  });
});
