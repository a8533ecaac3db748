// Throughput of the messaging paths, each measured end to end (first publish or staging → last ack) with the same
// event count and a ~300-byte envelope, against raw nats.js JetStream measured in the same run:
//   rawJetStream     js.publish (PubAck awaited per window of 500) → durable pull consumer → ack
//   busJetStream     MessageBus.publish → MessageBus.consume (contract validation, tracing, bounded concurrency) → ack
//   outboxJetStream  Outbox staging in PostgreSQL transactions → OutboxRelay → JetStream → MessageBus.consume → ack
//   outboxInProcess  the same through the in-process bus (standalone mode), on the same PostgreSQL
// Every path runs once as a warm-up, then BENCH_ROUNDS rounds; figures are medians, and the ratio is the median of
// the rounds' ratios (raw runs right before the outbox path in each round, so both see the same machine load).
// The last line of output is one line of JSON with the figures.
//
// Env: BENCH_EVENTS (default 20000), BENCH_ROUNDS (default 5), BENCH_TX_EVENTS (events staged per transaction,
// default 50), BENCH_TX_PARALLEL (transactions at once, default 8), BENCH_CONCURRENCY (consumer handlers in
// flight, default 256), BENCH_PATHS (comma-separated subset, for profiling one path).
//
// Why 50 events per transaction: a transaction costs three round trips (BEGIN, INSERT, COMMIT) whatever it
// stages, and a service pays them for its own state change anyway; staging 50 at a time measures the outbox
// pipeline rather than PostgreSQL's transaction rate. With BENCH_TX_EVENTS=1 the figure is PostgreSQL's commit
// rate on the machine.
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createEnvelope, type EventEnvelope } from '@trustline/contracts';
import {
  createInProcessBus,
  createJetStreamBus,
  CreateMessagingTables1700000000000,
  messagingEntities,
  Outbox,
  OutboxRelay,
  type MessageBus,
} from '@trustline/messaging';
import { DataSource } from 'typeorm';
import { BENCH_SUBJECT, benchContracts, type BenchContracts, type BenchRecordedV1 } from './bench-contracts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const TX_EVENTS = Number(process.env.BENCH_TX_EVENTS ?? 50);
const TX_PARALLEL = Number(process.env.BENCH_TX_PARALLEL ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const NATS_URL = process.env.BENCH_NATS_URL ?? process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Comma-separated subset of paths to run (for profiling one); all by default. */
const PATHS = new Set(
  (process.env.BENCH_PATHS ?? 'rawJetStream,busJetStream,outboxJetStream,outboxInProcess').split(','),
);
const PUBLISH_WINDOW = 500;
const CONSUMER_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const RELAY_BATCH = 500;
const TARGET_ENVELOPE_BYTES = 300;

const RUN = `${Date.now().toString(36)}${process.pid}`.toUpperCase();
const STREAM_PREFIX = `BENCH_${RUN}`;

type Envelope = EventEnvelope<BenchRecordedV1>;

function makeEvents(count: number): Envelope[] {
  const probe = createEnvelope({ producer: 'consent', tenantId: 'tenant-bench', data: { note: '', sequence: count } });
  const noteLength = Math.max(0, TARGET_ENVELOPE_BYTES - Buffer.byteLength(JSON.stringify(probe)));
  const note = 'x'.repeat(noteLength);
  return Array.from({ length: count }, (_, sequence) =>
    createEnvelope({ producer: 'consent', tenantId: 'tenant-bench', data: { note, sequence } }),
  );
}

function countdown(total: number): { tick: () => void; done: Promise<void> } {
  let left = total;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    tick: () => {
      left -= 1;
      if (left === 0) {
        finish();
      }
    },
    done,
  };
}

function rate(count: number, startedAt: number): number {
  return Math.round(count / ((performance.now() - startedAt) / 1000));
}

async function inWindows<T>(items: readonly T[], size: number, send: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map(send));
  }
}

/** Baseline: nats.js only, no envelope checks, no tracing, no database. */
async function rawJetStream(
  nc: NatsConnection,
  jsm: JetStreamManager,
  events: Envelope[],
  run: string,
): Promise<number> {
  const stream = `${STREAM_PREFIX}_RAW${run}`;
  const subject = `${STREAM_PREFIX.toLowerCase()}.raw${run}.${BENCH_SUBJECT}`;
  await jsm.streams.add({ name: stream, subjects: [subject] });
  await jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: AckPolicy.Explicit, filter_subject: subject });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, 'raw');
  const bodies = events.map((event) => ({ id: event.id, body: JSON.stringify(event) }));
  const received = countdown(events.length);
  const messages = await consumer.consume({ max_messages: 1000 });
  const consuming = (async () => {
    for await (const msg of messages) {
      msg.ack();
      received.tick();
    }
  })();
  const startedAt = performance.now();
  await inWindows(bodies, PUBLISH_WINDOW, ({ id, body }) => js.publish(subject, body, { msgID: id }));
  await received.done;
  const result = rate(events.length, startedAt);
  await messages.close();
  await consuming;
  await jsm.streams.delete(stream);
  return result;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function median(values: readonly number[]): number {
  return Math.round(medianOf(values));
}

function jetStreamBus(name: string): MessageBus<BenchContracts> {
  return createJetStreamBus(benchContracts, {
    name: `bench-${name}`,
    servers: NATS_URL,
    streamPrefix: `${STREAM_PREFIX}_${name.toUpperCase()}`,
    subjectPrefix: `${STREAM_PREFIX.toLowerCase()}.${name}`,
  });
}

async function consumeAll(bus: MessageBus<BenchContracts>, count: number) {
  const received = countdown(count);
  const subscription = await bus.consume({
    subject: BENCH_SUBJECT,
    consumer: 'audit',
    concurrency: CONSUMER_CONCURRENCY,
    handler: () => {
      received.tick();
      return Promise.resolve();
    },
  });
  return { done: received.done, subscription };
}

/** The bus without the outbox: what the typed API costs over raw nats.js. */
async function busJetStream(events: Envelope[], round: string): Promise<number> {
  const bus = jetStreamBus(`bus${round}`);
  await bus.start();
  try {
    const { done, subscription } = await consumeAll(bus, events.length);
    const startedAt = performance.now();
    await inWindows(events, PUBLISH_WINDOW, (event) => bus.publish(BENCH_SUBJECT, event));
    await done;
    const result = rate(events.length, startedAt);
    await subscription.stop();
    return result;
  } finally {
    await bus.close();
  }
}

async function withSchema<T>(name: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const schema = `bench_${RUN.toLowerCase()}_${name}`;
  const dataSource = new DataSource({
    type: 'postgres',
    url: DATABASE_URL,
    schema,
    entities: [...messagingEntities],
    migrations: [CreateMessagingTables1700000000000],
    extra: { max: TX_PARALLEL + 2 },
  });
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA "${schema}"`);
    await dataSource.runMigrations();
    return await work(dataSource);
  } finally {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

/** Events staged in PostgreSQL transactions, relayed after commit, consumed and acked through the bus. */
async function throughOutbox(bus: MessageBus<BenchContracts>, dataSource: DataSource, events: Envelope[]) {
  await bus.start();
  const relay = new OutboxRelay(dataSource, bus, { batchSize: RELAY_BATCH });
  const outbox = new Outbox(benchContracts, relay);
  const { done, subscription } = await consumeAll(bus, events.length);
  relay.start();
  try {
    const transactions: Envelope[][] = [];
    for (let start = 0; start < events.length; start += TX_EVENTS) {
      transactions.push(events.slice(start, start + TX_EVENTS));
    }
    const startedAt = performance.now();
    let next = 0;
    const stager = async (): Promise<void> => {
      while (next < transactions.length) {
        const batch = transactions[next] ?? [];
        next += 1;
        await outbox.transaction(dataSource, async (_manager, stage) => {
          for (const event of batch) {
            await stage(BENCH_SUBJECT, event);
          }
        });
      }
    };
    await Promise.all(Array.from({ length: TX_PARALLEL }, stager));
    const stagedAt = performance.now();
    await done;
    return { eventsPerSecond: rate(events.length, startedAt), stagingMs: Math.round(stagedAt - startedAt) };
  } finally {
    await relay.stop();
    await subscription.stop();
    await bus.close();
  }
}

type PathName = 'rawJetStream' | 'busJetStream' | 'outboxJetStream' | 'outboxInProcess';

interface Measurement {
  readonly eventsPerSecond: number;
  readonly stagingMs?: number;
}

/** One measurement of one path with `count` fresh events, in its own streams (and schema). */
function measure(
  nc: NatsConnection,
  jsm: JetStreamManager,
  path: PathName,
  count: number,
  run: string,
): Promise<Measurement> {
  const events = makeEvents(count);
  switch (path) {
    case 'rawJetStream':
      return rawJetStream(nc, jsm, events, run).then((eventsPerSecond) => ({ eventsPerSecond }));
    case 'busJetStream':
      return busJetStream(events, run).then((eventsPerSecond) => ({ eventsPerSecond }));
    case 'outboxJetStream':
      return withSchema(`js${run}`, (dataSource) => throughOutbox(jetStreamBus(`outbox${run}`), dataSource, events));
    case 'outboxInProcess':
      return withSchema(`local${run}`, (dataSource) =>
        throughOutbox(createInProcessBus(benchContracts, { maxRetainedPerSubject: 1 }), dataSource, events),
      );
  }
}

async function main(): Promise<void> {
  const envelopeBytes = Buffer.byteLength(JSON.stringify(makeEvents(1)[0]));
  // The same connection options as the bus uses for its own connections (see JetStreamBus), so the baseline is
  // not handicapped by nats.js's per-request stack capture.
  const nc = await connect({ servers: NATS_URL, name: 'bench-raw', noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  // The raw baseline runs right before the outbox path in every round, so that each ratio compares two runs made
  // under the same load; the reported ratio is the median of the rounds' ratios.
  const order: PathName[] = ['busJetStream', 'rawJetStream', 'outboxJetStream', 'outboxInProcess'];
  const paths = order.filter((path) => PATHS.has(path));
  const runs: Partial<Record<PathName, number[]>> = {};
  const staging: Partial<Record<PathName, number[]>> = {};
  const ratios: number[] = [];
  try {
    for (const path of paths) {
      await measure(nc, jsm, path, Math.min(2000, EVENTS), 'W'); // warm-up: JIT, connections, first stream
    }
    for (let round = 1; round <= ROUNDS; round += 1) {
      const results: Partial<Record<PathName, number>> = {};
      for (const path of paths) {
        const result = await measure(nc, jsm, path, EVENTS, String(round));
        results[path] = result.eventsPerSecond;
        (runs[path] ??= []).push(result.eventsPerSecond);
        if (result.stagingMs !== undefined) {
          (staging[path] ??= []).push(result.stagingMs);
        }
      }
      if (results.rawJetStream && results.outboxJetStream) {
        ratios.push(results.outboxJetStream / results.rawJetStream);
      }
    }
  } finally {
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${STREAM_PREFIX}_`)) {
        await jsm.streams.delete(info.config.name);
      }
    }
    await nc.close();
  }

  const figures = Object.fromEntries(Object.entries(runs).map(([path, values]) => [path, median(values)]));
  const stagingMs = Object.fromEntries(Object.entries(staging).map(([path, values]) => [path, median(values)]));
  const ratio = ratios.length > 0 ? Math.round(medianOf(ratios) * 100) / 100 : null;
  console.log(
    `events: ${EVENTS} per path and round, envelope: ${envelopeBytes} bytes, outbox: ${TX_EVENTS} events per ` +
      `transaction, ${TX_PARALLEL} transactions at once, ${ROUNDS} rounds (medians)`,
  );
  for (const [path, perSecond] of Object.entries(figures)) {
    const all = (runs[path as PathName] ?? []).join(', ');
    console.log(`${path.padEnd(16)} ${String(perSecond).padStart(8)} events/s   (rounds: ${all})`);
  }
  const perRound = ratios.map((value) => value.toFixed(2)).join(', ');
  console.log(`outboxJetStream / rawJetStream = ${ratio ?? 'n/a'} (rounds: ${perRound}; target >= 0.5)`);
  console.log(
    JSON.stringify({
      events: EVENTS,
      envelopeBytes,
      txEvents: TX_EVENTS,
      txParallel: TX_PARALLEL,
      rounds: ROUNDS,
      eventsPerSecond: figures,
      ratio: { outboxJetStreamToRawJetStream: ratio },
      stagingMs,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
