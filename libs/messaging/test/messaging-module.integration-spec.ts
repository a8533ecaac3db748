import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createEnvelope, type EventEnvelope } from '@trustline/contracts';
import {
  createInProcessBus,
  EventPublisher,
  Inbox,
  InjectMessageBus,
  messagingEntities,
  MessagingModule,
  OnEvent,
  OnRequest,
  Outbox,
  OutboxModule,
  type DeliveryContext,
  type InProcessBus,
  type MessageBus,
} from '@trustline/messaging';
import { DataSource } from 'typeorm';
import type { EchoRequestV1, EchoResponseV1 } from './contracts/echo.v1';
import type { ProbeRecordedV1 } from './contracts/probe-recorded.v1';
import { createTestDataSource } from './support/postgres';
import { deferred, sleep, uniqueName, waitFor } from './support/wait';
import { ECHO, FACT, testContracts, type TestContracts } from './test-contracts';

/** consent: records a probe and stages its fact in the same transaction. */
@Injectable()
class ProbeRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox<TestContracts>,
    private readonly events: EventPublisher<TestContracts>,
  ) {}

  record(label: string): Promise<EventEnvelope<ProbeRecordedV1>> {
    return this.outbox.transaction(this.dataSource, async (_manager, stage) => {
      const envelope = this.events.envelope({ label, sequence: 1 }, { tenantId: 'tenant-a' });
      await stage(FACT, envelope);
      return envelope;
    });
  }
}

/** audit: handles the fact and answers echo requests. */
@Injectable()
class ProbeHandler {
  readonly received: { id: string; attempt: number }[] = [];
  release = deferred();
  holdNext = false;

  constructor(@InjectMessageBus() readonly bus: MessageBus<TestContracts>) {}

  @OnEvent<TestContracts, typeof FACT>(FACT, { backoffMs: [10] })
  async onProbeRecorded(envelope: EventEnvelope<ProbeRecordedV1>, delivery: DeliveryContext): Promise<void> {
    if (this.holdNext) {
      this.holdNext = false;
      await this.release.promise;
    }
    this.received.push({ id: envelope.id, attempt: delivery.attempt });
  }

  @OnRequest<TestContracts, typeof ECHO>(ECHO)
  async onEcho(envelope: EventEnvelope<EchoRequestV1>): Promise<EchoResponseV1> {
    return Promise.resolve({ text: `audit heard ${envelope.data.text}` });
  }
}

describe(MessagingModule.name, () => {
  let bus: InProcessBus<TestContracts>;
  let migrated: DataSource;
  let dropSchema: () => Promise<void>;
  let schema: string;
  const apps: INestApplicationContext[] = [];

  async function app(module: object): Promise<INestApplicationContext> {
    const created = await NestFactory.createApplicationContext(module as never, { logger: false });
    apps.push(created);
    return created;
  }

  beforeAll(async () => {
    bus = createInProcessBus(testContracts);
    schema = uniqueName('messaging_nest');
    ({ dataSource: migrated, drop: dropSchema } = await createTestDataSource(schema));
  });

  afterAll(async () => {
    await Promise.all(apps.map((created) => created.close()));
    await bus.close();
    await dropSchema();
  });

  it('wires publishers, outbox, relay, @OnEvent and @OnRequest across services sharing one bus', async () => {
    @Module({
      imports: [
        MessagingModule.forRoot({ bus, service: 'consent' }),
        TypeOrmModule.forRoot({ ...migrated.options, entities: [...messagingEntities], migrations: [] }),
        OutboxModule.forRoot({ relay: { pollIntervalMs: 50 } }),
      ],
      providers: [ProbeRecorder],
    })
    class ConsentModule {}

    @Module({ imports: [MessagingModule.forRoot({ bus, service: 'audit' })], providers: [ProbeHandler] })
    class AuditModule {}

    @Module({ imports: [MessagingModule.forRoot({ bus, service: 'gateway' })] })
    class GatewayModule {}

    const consent = await app(ConsentModule);
    const audit = await app(AuditModule);
    const gateway = await app(GatewayModule);
    const handler = audit.get(ProbeHandler);
    expect(consent.get(Inbox)).toBeInstanceOf(Inbox);

    const recorded = await consent.get(ProbeRecorder).record('via nest');
    expect(recorded.producer).toBe('consent');
    await waitFor('the handler', () => handler.received.length === 1);
    expect(handler.received).toEqual([{ id: recorded.id, attempt: 1 }]);

    const publisher = gateway.get<EventPublisher<TestContracts>>(EventPublisher);
    await expect(publisher.request(ECHO, { text: 'hi' }, { tenantId: 'tenant-a' })).resolves.toEqual({
      text: 'audit heard hi',
    });
    await expect(publisher.publish(FACT, { label: 'not mine', sequence: 2 }, { tenantId: 'tenant-a' })).rejects.toThrow(
      'gateway may not publish',
    );

    // Shutdown drains: the handler in flight finishes before close() resolves, and nothing is taken after.
    handler.holdNext = true;
    const inFlight = createEnvelope({
      producer: 'consent',
      tenantId: 'tenant-a',
      data: { label: 'slow', sequence: 3 },
    });
    await bus.publish(FACT, inFlight);
    await sleep(50);
    let closed = false;
    const closing = audit.close().then(() => {
      closed = true;
      return closed;
    });
    await sleep(100);
    expect(closed).toBe(false);
    handler.release.resolve();
    await closing;
    apps.splice(apps.indexOf(audit), 1);
    expect(handler.received.map((entry) => entry.id)).toContain(inFlight.id);

    const afterClose = createEnvelope({
      producer: 'consent',
      tenantId: 'tenant-a',
      data: { label: 'late', sequence: 4 },
    });
    await bus.publish(FACT, afterClose);
    await sleep(100);
    expect(handler.received.map((entry) => entry.id)).not.toContain(afterClose.id);
  });
});
