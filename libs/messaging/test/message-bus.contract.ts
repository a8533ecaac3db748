import { context, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { createEnvelope, type EventEnvelope, type ServiceName } from '@trustline/contracts';
import {
  Inbox,
  NoResponderError,
  NotOwnerError,
  Outbox,
  OutboxRelay,
  PublisherNotAllowedError,
  RequestFailedError,
  RequestTimeoutError,
  RetryLaterError,
  type DeadLetter,
  type DeliveryContext,
  type MessageBus,
  type Subscription,
} from '@trustline/messaging';
import type { DataSource } from 'typeorm';
import type { EchoRequestV1 } from './contracts/echo.v1';
import type { ProbeRecordedV1 } from './contracts/probe-recorded.v1';
import { createTestDataSource } from './support/postgres';
import { installTracing } from './support/tracing';
import { deferred, sleep, uniqueName, waitFor } from './support/wait';
import { COMMAND, ECHO, FACT, testContracts, type TestContracts } from './test-contracts';

type Bus = MessageBus<TestContracts>;

/** What the shared suite needs from a transport. */
export interface BusHarness {
  /** A started bus isolated from every other test's (its own streams, or its own instance). */
  createBus(): Promise<Bus>;
  /** Another replica of the deployment `bus` belongs to: another connection on the same streams (in-process: itself). */
  createReplica(bus: Bus): Promise<Bus>;
  /** The dead letters of `bus`'s deployment, oldest first. */
  deadLetters(bus: Bus): Promise<readonly DeadLetter[]>;
  /** Closes what is left open and removes what the buses created on the server. */
  cleanup(): Promise<void>;
}

class PoisonError extends Error {
  override readonly name = 'PoisonError';
}

function probe(label: string, sequence = 0, producer: ServiceName = 'consent'): EventEnvelope<ProbeRecordedV1> {
  return createEnvelope({ producer, tenantId: 'tenant-a', data: { label, sequence } });
}

/**
 * The delivery contract both transports must keep, run once against NATS JetStream and once against the
 * in-process bus. Outbox and inbox run on the real PostgreSQL in a schema of the test file's own.
 */
export function describeMessageBusContract(transport: string, makeHarness: () => BusHarness): void {
  describe(`MessageBus contract (${transport})`, () => {
    let harness: BusHarness;
    let dataSource: DataSource;
    let dropSchema: () => Promise<void>;
    let spans: InMemorySpanExporter;
    let schema: string;
    const buses: Bus[] = [];
    const subscriptions: Subscription[] = [];

    async function newBus(): Promise<Bus> {
      const bus = await harness.createBus();
      buses.push(bus);
      return bus;
    }

    async function replicaOf(bus: Bus): Promise<Bus> {
      const replica = await harness.createReplica(bus);
      if (replica !== bus) {
        buses.push(replica);
      }
      return replica;
    }

    async function consume(
      bus: Bus,
      options: {
        consumer?: ServiceName;
        maxDeliver?: number;
        backoffMs?: readonly number[];
        concurrency?: number;
        handler: (envelope: EventEnvelope<ProbeRecordedV1>, delivery: DeliveryContext) => Promise<void>;
      },
    ): Promise<Subscription> {
      const subscription = await bus.consume({
        subject: FACT,
        consumer: options.consumer ?? 'audit',
        handler: options.handler,
        ...(options.maxDeliver ? { maxDeliver: options.maxDeliver } : {}),
        backoffMs: options.backoffMs ?? [20],
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      });
      subscriptions.push(subscription);
      return subscription;
    }

    async function outboxRows(): Promise<number> {
      const rows: { count: string }[] = await dataSource.query(
        `SELECT count(*) AS count FROM "${schema}"."outbox_event"`,
      );
      return Number(rows[0]?.count ?? 0);
    }

    beforeAll(async () => {
      spans = installTracing();
      harness = makeHarness();
      schema = uniqueName(`messaging_${transport.replace(/[^a-z]/gi, '').toLowerCase()}`);
      ({ dataSource, drop: dropSchema } = await createTestDataSource(schema));
      await dataSource.query(
        `CREATE TABLE "${schema}"."probe_effect" ("event_id" uuid PRIMARY KEY, "label" text NOT NULL)`,
      );
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
    });

    afterAll(async () => {
      await harness?.cleanup();
      await dropSchema?.();
    });

    it('delivers a duplicate publish with the same id once', async () => {
      const bus = await newBus();
      const seen: string[] = [];
      await consume(bus, {
        concurrency: 1,
        handler: (envelope) => {
          seen.push(envelope.id);
          return Promise.resolve();
        },
      });
      const event = probe('dup');
      const sentinel = probe('sentinel');
      await bus.publish(FACT, event);
      await bus.publish(FACT, event);
      await bus.publish(FACT, sentinel);

      await waitFor('the sentinel', () => seen.includes(sentinel.id));
      await sleep(200);
      expect(seen.filter((id) => id === event.id)).toHaveLength(1);
      expect(seen).toHaveLength(2);
    });

    it('redelivers a message whose handler threw', async () => {
      const bus = await newBus();
      const deliveries: { id: string; attempt: number; redelivered: boolean }[] = [];
      await consume(bus, {
        handler: (envelope, delivery) => {
          deliveries.push({ id: envelope.id, attempt: delivery.attempt, redelivered: delivery.redelivered });
          return delivery.attempt === 1 ? Promise.reject(new Error('transient')) : Promise.resolve();
        },
      });
      const event = probe('flaky');
      await bus.publish(FACT, event);

      await waitFor('the redelivery', () => deliveries.length === 2);
      expect(deliveries).toEqual([
        { id: event.id, attempt: 1, redelivered: false },
        { id: event.id, attempt: 2, redelivered: true },
      ]);
      await sleep(150);
      expect(deliveries).toHaveLength(2);
    });

    it('redelivers after the delay a handler asks for with RetryLaterError', async () => {
      const bus = await newBus();
      const times: number[] = [];
      await consume(bus, {
        backoffMs: [5],
        handler: (_envelope, delivery) => {
          times.push(performance.now());
          return delivery.attempt === 1 ? Promise.reject(new RetryLaterError(400, 'rate limited')) : Promise.resolve();
        },
      });
      await bus.publish(FACT, probe('later'));

      await waitFor('the delayed redelivery', () => times.length === 2);
      expect(times[1] - times[0]).toBeGreaterThanOrEqual(380);
    });

    it('dead-letters a poison message after maxDeliver attempts, without the error message', async () => {
      const bus = await newBus();
      let calls = 0;
      await consume(bus, {
        maxDeliver: 3,
        backoffMs: [10, 20],
        handler: () => {
          calls += 1;
          return Promise.reject(new PoisonError('cannot handle +34 600 000 000'));
        },
      });
      const event = probe('poison', 7);
      await bus.publish(FACT, event, { headers: { 'x-test': 'kept' } });

      await waitFor('a dead letter', async () => (await harness.deadLetters(bus)).length === 1);
      await sleep(150);
      expect(calls).toBe(3);
      const [letter] = await harness.deadLetters(bus);
      expect(letter).toMatchObject({ subject: FACT, consumer: 'audit', attempts: 3, error: 'PoisonError' });
      expect(letter?.detail).toBeUndefined();
      expect(JSON.parse(letter?.body ?? '{}')).toEqual(JSON.parse(JSON.stringify(event)));
      expect(letter?.headers['x-test']).toBe('kept');
      expect(JSON.stringify(letter)).not.toContain('600 000');
    });

    it('dead-letters a payload that breaks its contract at once, without calling the handler', async () => {
      const bus = await newBus();
      let calls = 0;
      await consume(bus, {
        maxDeliver: 5,
        handler: () => {
          calls += 1;
          return Promise.resolve();
        },
      });
      const broken = {
        ...probe('broken'),
        data: { label: 42, sequence: -1 },
      } as unknown as EventEnvelope<ProbeRecordedV1>;
      await bus.publish(FACT, broken);

      await waitFor('a dead letter', async () => (await harness.deadLetters(bus)).length === 1);
      await sleep(150);
      const [letter] = await harness.deadLetters(bus);
      expect(calls).toBe(0);
      expect(letter).toMatchObject({ subject: FACT, consumer: 'audit', attempts: 1, error: 'ContractViolationError' });
      expect(letter?.detail).toContain('label');
      expect(letter?.detail).toContain('sequence');
      expect(letter?.detail).not.toContain('42');
    });

    it('splits the load between two consumers of one queue group, handling no message twice', async () => {
      const first = await newBus();
      const second = await replicaOf(first);
      const handled: { replica: string; id: string }[] = [];
      const handler = (replica: string) => async (envelope: EventEnvelope<ProbeRecordedV1>) => {
        await sleep(3);
        handled.push({ replica, id: envelope.id });
      };
      await consume(first, { concurrency: 4, handler: handler('first') });
      await consume(second, { concurrency: 4, handler: handler('second') });
      const events = Array.from({ length: 120 }, (_, index) => probe('shared', index));
      await Promise.all(events.map((event) => first.publish(FACT, event)));

      await waitFor('every event', () => handled.length >= events.length);
      await sleep(200);
      expect(handled).toHaveLength(events.length);
      expect(new Set(handled.map((entry) => entry.id)).size).toBe(events.length);
      expect(handled.filter((entry) => entry.replica === 'first').length).toBeGreaterThan(0);
      expect(handled.filter((entry) => entry.replica === 'second').length).toBeGreaterThan(0);
    });

    it('publishes an outbox row committed while the relay was down once it is back', async () => {
      const bus = await newBus();
      const relay = new OutboxRelay(dataSource, bus, { pollIntervalMs: 50 });
      const outbox = new Outbox(testContracts, relay);
      const received: string[] = [];
      await consume(bus, {
        handler: (envelope) => {
          received.push(envelope.id);
          return Promise.resolve();
        },
      });
      const event = probe('outbox');
      await outbox.transaction(dataSource, async (_manager, stage) => {
        await stage(FACT, event);
      });
      expect(await outboxRows()).toBe(1);
      await sleep(200);
      expect(received).toEqual([]);

      relay.start();
      try {
        await waitFor('the relayed event', () => received.includes(event.id));
        await waitFor('the row to be deleted', async () => (await outboxRows()) === 0);
      } finally {
        await relay.stop();
      }
      expect(received).toEqual([event.id]);
    });

    it('republishes a batch whose relay died after claiming it, once the claim expires', async () => {
      const bus = await newBus();
      const received: string[] = [];
      await consume(bus, {
        handler: (envelope) => {
          received.push(envelope.id);
          return Promise.resolve();
        },
      });
      const event = probe('claimed');
      const outbox = new Outbox(testContracts);
      await dataSource.transaction((manager) => outbox.stage(manager, FACT, event));
      // A relay that claimed the row and died before publishing: its claim runs until the past.
      await dataSource.query(
        `UPDATE "${schema}"."outbox_event" SET "locked_until" = now() + interval '400 milliseconds'`,
      );
      const relay = new OutboxRelay(dataSource, bus, { pollIntervalMs: 50 });
      relay.start();
      try {
        await sleep(200);
        expect(received).toEqual([]);
        await waitFor('the row after its claim expired', () => received.includes(event.id));
        await waitFor('the row to be deleted', async () => (await outboxRows()) === 0);
      } finally {
        await relay.stop();
      }
    });

    it('applies a redelivered event once (inbox)', async () => {
      const bus = await newBus();
      const inbox = new Inbox(dataSource);
      const ran: boolean[] = [];
      await consume(bus, {
        handler: async (envelope, delivery) => {
          ran.push(
            await inbox.process('audit', envelope, async (manager) => {
              await manager.query(`INSERT INTO "${schema}"."probe_effect" ("event_id", "label") VALUES ($1, $2)`, [
                envelope.id,
                envelope.data.label,
              ]);
            }),
          );
          if (delivery.attempt === 1) {
            throw new Error('crashed after the effect committed, before the ack');
          }
        },
      });
      const event = probe('once');
      await bus.publish(FACT, event);

      await waitFor('the redelivery', () => ran.length === 2);
      expect(ran).toEqual([true, false]);
      const effects: unknown[] = await dataSource.query(
        `SELECT * FROM "${schema}"."probe_effect" WHERE "event_id" = $1`,
        [event.id],
      );
      expect(effects).toHaveLength(1);
      expect(await inbox.hasProcessed('audit', event.id)).toBe(true);
    });

    it('answers a request and reports a timeout and a missing responder clearly', async () => {
      const bus = await newBus();
      subscriptions.push(
        await bus.serve(ECHO, 'audit', async (envelope) => {
          if (envelope.data.delayMs) {
            await sleep(envelope.data.delayMs);
          }
          return { text: `echo: ${envelope.data.text}` };
        }),
      );
      const ask = (text: string, delayMs?: number) =>
        createEnvelope({ producer: 'gateway', tenantId: 'tenant-a', data: { text, ...(delayMs ? { delayMs } : {}) } });

      await expect(bus.request(ECHO, ask('hello'))).resolves.toEqual({ text: 'echo: hello' });
      await expect(bus.request(ECHO, ask('slow', 1000), { timeoutMs: 100 })).rejects.toThrow(
        new RequestTimeoutError(ECHO, 100),
      );
      await expect(bus.request(ECHO, ask('slow', 1000), { timeoutMs: 100 })).rejects.toThrow(
        `request ${ECHO} got no reply within 100 ms`,
      );

      const lonely = await newBus();
      await expect(lonely.request(ECHO, ask('anyone?'), { timeoutMs: 1000 })).rejects.toBeInstanceOf(NoResponderError);
      await expect(lonely.serve(ECHO, 'consent', () => Promise.resolve({ text: '' }))).rejects.toBeInstanceOf(
        NotOwnerError,
      );
      await expect(
        bus.request(ECHO, createEnvelope({ producer: 'consent', tenantId: 'tenant-a', data: { text: 'x' } })),
      ).rejects.toBeInstanceOf(PublisherNotAllowedError);
    });

    it('tells a requester its responder failed, naming the error class and never its message', async () => {
      const bus = await newBus();
      subscriptions.push(
        await bus.serve(ECHO, 'audit', (envelope) =>
          envelope.data.text === 'boom'
            ? Promise.reject(new PoisonError('lookup of +34 600 000 000 failed'))
            : Promise.resolve({ text: envelope.data.text }),
        ),
      );
      const ask = (data: object) =>
        createEnvelope({ producer: 'gateway', tenantId: 'tenant-a', data }) as EventEnvelope<EchoRequestV1>;

      const failed = await bus.request(ECHO, ask({ text: 'boom' })).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(RequestFailedError);
      expect(failed).toMatchObject({ subject: ECHO, remoteError: 'PoisonError' });
      expect(String(failed)).not.toContain('600');

      const invalid = await bus.request(ECHO, ask({ text: 7 })).catch((error: unknown) => error);
      expect(invalid).toMatchObject({ remoteError: 'ContractViolationError' });
      expect((invalid as RequestFailedError).detail).toContain('text');
      await expect(bus.request(ECHO, ask({ text: 'still fine' }))).resolves.toEqual({ text: 'still fine' });
    });

    it('runs the handler in the trace context that was active when the event was published', async () => {
      const bus = await newBus();
      const seen: { traceId?: string; traceparent?: string }[] = [];
      await consume(bus, {
        handler: (_envelope, delivery) => {
          seen.push({
            traceId: trace.getSpanContext(context.active())?.traceId,
            traceparent: delivery.headers.traceparent,
          });
          return Promise.resolve();
        },
      });
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parent = trace.setSpanContext(context.active(), {
        traceId,
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      spans.reset();
      await context.with(parent, () => bus.publish(FACT, probe('traced')));

      await waitFor('the traced event', () => seen.length === 1);
      expect(seen[0]?.traceId).toBe(traceId);
      expect(seen[0]?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      await waitFor('the consumer span', () => spans.getFinishedSpans().some((s) => s.kind === SpanKind.CONSUMER));
      const producer = spans.getFinishedSpans().find((s) => s.kind === SpanKind.PRODUCER);
      const consumer = spans.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER);
      expect(producer?.spanContext().traceId).toBe(traceId);
      expect(consumer?.spanContext().traceId).toBe(traceId);
      expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    });

    it('keeps the trace context of a staged event through the outbox relay', async () => {
      const bus = await newBus();
      const relay = new OutboxRelay(dataSource, bus, { pollIntervalMs: 50 });
      const outbox = new Outbox(testContracts, relay);
      const seen: (string | undefined)[] = [];
      await consume(bus, {
        handler: () => {
          seen.push(trace.getSpanContext(context.active())?.traceId);
          return Promise.resolve();
        },
      });
      const traceId = 'a3ce929d0e0e47364bf92f3577b34da6';
      const parent = trace.setSpanContext(context.active(), {
        traceId,
        spanId: 'a902b700f067aa0b',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      await context.with(parent, () =>
        outbox.transaction(dataSource, (_manager, stage) => stage(FACT, probe('traced-outbox'))),
      );
      relay.start();
      try {
        await waitFor('the relayed event', () => seen.length === 1);
      } finally {
        await relay.stop();
      }
      expect(seen).toEqual([traceId]);
    });

    it('refuses to publish or stage a subject the producer does not own', async () => {
      const bus = await newBus();
      await expect(bus.publish(FACT, probe('stolen', 0, 'dsar'))).rejects.toBeInstanceOf(PublisherNotAllowedError);
      const command = (producer: ServiceName) =>
        createEnvelope({ producer, tenantId: 'tenant-a', data: { label: 'x' } });
      await expect(bus.publish(COMMAND, command('gateway'))).rejects.toThrow(
        'gateway may not publish retention.probe.requested.v1',
      );
      await expect(bus.publish(COMMAND, command('dsar'))).resolves.toBeUndefined();

      const outbox = new Outbox(testContracts);
      await expect(
        outbox.transaction(dataSource, (_manager, stage) => stage(FACT, probe('stolen', 0, 'dsar'))),
      ).rejects.toBeInstanceOf(PublisherNotAllowedError);
      expect(await outboxRows()).toBe(0);
    });

    it('waits for the handlers in flight when a subscription stops', async () => {
      const bus = await newBus();
      const release = deferred();
      const started = deferred();
      let finished = false;
      const subscription = await consume(bus, {
        handler: async () => {
          started.resolve();
          await release.promise;
          finished = true;
        },
      });
      await bus.publish(FACT, probe('slow'));
      await started.promise;

      let stopped = false;
      const stopping = subscription.stop().then(() => {
        stopped = true;
        return stopped;
      });
      await sleep(100);
      expect(stopped).toBe(false);
      release.resolve();
      await stopping;
      expect(finished).toBe(true);
    });
  });
}
