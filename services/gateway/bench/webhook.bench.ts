// Signed WhatsApp webhooks per second, and the latency of their 200, through the gateway in distributed mode — its
// own processes (dist/services/gateway/src/main.js) on a fresh PostgreSQL database and its own JetStream streams —
// where 200 means durably accepted (JetStream PubAck). The gateway runs as it is meant to be deployed under load:
// the webhook edge (GATEWAY_WORKERS=false) in one process, the intake and outbound workers in another. During the
// peak run only the edge runs (as on a production node the workers are elsewhere; on this 2-core machine they
// would otherwise take the edge's CPU): what it accepted is then drained by the workers, started after it. During
// the sustained run both run, and the workers must keep up with 1,000 webhooks/s. Next to it, measured in the same run on the same machine,
// the floor: a bare node:http process doing only the HMAC check and the JetStream publish (webhook-floor.ts).
// Every request is a Meta messages webhook with one text message, a unique wamid and one of USERS user numbers,
// signed with the development tenant's app secret, so nothing is deduplicated and contacts are really created.
//
// Runs, in this order:
//   peak       closed loop (autocannon, BENCH_CONNECTIONS connections, pipelining 1): a BENCH_WARMUP_SECONDS
//              warm-up, then BENCH_PEAK_SECONDS measured; floor first, then gateway. Target: gateway >= 60% of floor.
//   drain      until the gateway's intake consumer has turned every accepted webhook into an inbound_message row
//              (at most BENCH_DRAIN_SECONDS), so the backlog of the peak run does not load the sustained run.
//   sustained  BENCH_RATE requests/s for BENCH_SUSTAIN_SECONDS, floor (for reference), then gateway.
//              Target: gateway p99 <= 25 ms at 1,000/s for 30 s (Meta's own standard is a 250 ms median); met only
//              if the rate was achieved (>= 98%) with every answer 200.
//   processed  inbound_message rows after at most BENCH_PROCESS_SECONDS (then, if short, BENCH_DRAIN_SECONDS more):
//              the accepted webhooks were really processed by the gateway, not only acknowledged. It may exceed the
//              200s the bench counted by the requests in flight when a closed-loop run stops (answered, never read).
//
// Pacing of the sustained runs: autocannon's rate limit lets each connection send its quota for the second
// back-to-back, then idle until the next second, so one instance delivers the whole second's load in a burst at
// the start of each second. Here BENCH_PACE_SLOTS instances start 1000/slots ms apart, each connection at 1
// request/s (BENCH_RATE connections in all): every 1000/slots ms, rate/slots requests leave at once, each on its
// own connection, so a slow answer does not hold the next request back (no coordinated omission under 1 s). Each
// connection's first request is not measured: it carries the TCP connect and the setting-up of the other
// instances in the same second, i.e. the load generator's cost, not the target's (see `fire`).
// Latency: autocannon measures every response (its `response` event, sub-millisecond); percentiles here are exact
// (nearest rank) over the 200s of the run. Autocannon's own histogram keeps whole milliseconds and, under a rate
// limit, pads it with synthetic values at a 1 ms expected interval, which skews its percentiles.
//
// The load generator runs in this process and shares the machine's cores with the gateway, the floor, NATS and
// PostgreSQL; on a 2-core machine every figure is a lower bound of what the service would do on its own cores.
// Any answer other than 200, a connection error or timeout, or an accepted webhook never processed fails the bench
// (exit code 1) after the report; a missed target does not (it is reported as such).
//
// Env: BENCH_PEAK_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (64), BENCH_RATE (1000),
// BENCH_SUSTAIN_SECONDS (30), BENCH_PACE_SLOTS (100), BENCH_DRAIN_SECONDS (120), BENCH_PROCESS_SECONDS (10),
// BENCH_DATABASE_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres), BENCH_NATS_URL
// (default nats://127.0.0.1:4222). The last line of output is one line of JSON with the figures.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import autocannon, { type Instance, type Request, type Result } from 'autocannon';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

const PEAK_SECONDS = positive('BENCH_PEAK_SECONDS', 10);
const WARMUP_SECONDS = positive('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = Math.ceil(positive('BENCH_CONNECTIONS', 64));
const RATE = Math.ceil(positive('BENCH_RATE', 1000));
const SUSTAIN_SECONDS = positive('BENCH_SUSTAIN_SECONDS', 30);
const PACE_SLOTS = Math.min(Math.ceil(positive('BENCH_PACE_SLOTS', 100)), RATE);
const DRAIN_SECONDS = positive('BENCH_DRAIN_SECONDS', 120);
const PROCESS_SECONDS = positive('BENCH_PROCESS_SECONDS', 10);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

const TARGET_P99_MS = 25;
const TARGET_PEAK_RATIO = 0.6;
const HOST = '127.0.0.1';
const WEBHOOK_PATH = '/webhooks/whatsapp';
/** The development tenant's defaults (NODE_ENV=development): app secret, business number and its id. */
const APP_SECRET = 'dev-app-secret';
const PHONE_NUMBER_ID = '100000000000001';
const DISPLAY_NUMBER = '15550000001';
const USERS = 300;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

const RUN = `${Date.now().toString(36)}${process.pid}`;
const STREAM_PREFIX = `WHBENCH_${RUN.toUpperCase()}`;
const DATABASE = `trustline_bench_${RUN.toLowerCase()}`;
const GATEWAY_MAIN = join(__dirname, '..', 'src', 'main.js');
const FLOOR_MAIN = join(__dirname, 'webhook-floor.js');

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number`);
  }
  return value;
}

// ---- requests ------------------------------------------------------------------------------------------------------

let sequence = 0;

/** A fresh signed webhook per call: unique wamid, one of USERS senders, the exact bytes that are signed. */
function signWebhook(request: Request): Request {
  sequence += 1;
  const user = `5511900000${String(sequence % USERS).padStart(3, '0')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const body = Buffer.from(
    '{"object":"whatsapp_business_account","entry":[{"id":"200000000000001","changes":[{"field":"messages",' +
      `"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"${DISPLAY_NUMBER}",` +
      `"phone_number_id":"${PHONE_NUMBER_ID}"},"contacts":[{"profile":{"name":"Bench User"},"wa_id":"${user}"}],` +
      `"messages":[{"from":"${user}","id":"wamid.BENCH${RUN}${sequence}","timestamp":"${timestamp}",` +
      '"type":"text","text":{"body":"Ol\\u00e1, quero marcar um hor\\u00e1rio"}}]}}]}]}',
  );
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  return { ...request, body, headers: { ...request.headers, 'x-hub-signature-256': signature } };
}

// ---- load ----------------------------------------------------------------------------------------------------------

interface Measurement {
  /** 200 answers per second over the measured time. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** 200 answers measured (latency and rate). */
  readonly measured: number;
  /** Every 200 answer, measured or not: what the target durably accepted, as far as the bench saw. */
  readonly accepted: number;
  /** Answers other than 200, by status code (measured or not: none may fail). */
  readonly non200: Record<string, number>;
  /** Connection errors and timeouts (autocannon's count). */
  readonly errors: number;
}

interface Fired {
  readonly result: Result;
  readonly latencies: number[];
  readonly accepted: number;
  readonly non200: Record<string, number>;
  readonly measuredSeconds: number;
}

const running = new Set<Instance>();
let interrupted = false;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * One autocannon instance; every response time is kept, not only autocannon's whole-millisecond histogram.
 * `paced`: each connection sends 1 request/s, on ticks 1 s apart from the instance's start t0. Measured are the
 * requests sent in [t0 + 0.5 s, t0 + 0.5 s + seconds), i.e. exactly `seconds` per connection if every answer
 * comes back within a second; the first one (sent with the TCP connect, while the other paced instances are being
 * set up: the load generator's cost, not the target's) and the one after the window count as accepted only.
 */
function fire(url: string, options: { connections: number; seconds: number; paced?: boolean }): Promise<Fired> {
  const latencies: number[] = [];
  const non200: Record<string, number> = {};
  const paced = options.paced ?? false;
  const startedAt = performance.now();
  const from = paced ? startedAt + 500 : Number.NEGATIVE_INFINITY;
  const to = paced ? from + options.seconds * 1000 : Number.POSITIVE_INFINITY;
  let accepted = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}${WEBHOOK_PATH}`,
        connections: options.connections,
        pipelining: 1,
        // Paced: stop halfway between the last tick answered in time and the next, so no request is left in flight
        // (autocannon stops on its sampling tick, by default on the very second a connection sends its next one).
        duration: options.seconds + (paced ? 1.5 : 0),
        timeout: 10,
        ...(paced ? { connectionRate: 1, sampleInt: 250 } : {}),
        requests: [
          {
            method: 'POST',
            path: WEBHOOK_PATH,
            headers: { 'content-type': 'application/json' },
            setupRequest: signWebhook,
          },
        ],
      },
      (error: unknown, result: Result) => {
        running.delete(instance);
        if (error) {
          reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
        } else {
          const measuredSeconds = paced ? options.seconds : result.duration;
          resolve({ result, latencies, accepted, non200, measuredSeconds });
        }
      },
    );
    running.add(instance);
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) {
        non200[statusCode] = (non200[statusCode] ?? 0) + 1;
        return;
      }
      accepted += 1;
      const sentAt = performance.now() - responseTime;
      if (sentAt >= from && sentAt < to) {
        latencies.push(responseTime);
      }
    });
  });
}

function summarize(runs: readonly Fired[]): Measurement {
  const all = Float64Array.from(runs.flatMap((run) => run.latencies)).sort();
  const non200: Record<string, number> = {};
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.non200)) {
      non200[status] = (non200[status] ?? 0) + count;
    }
  }
  return {
    // Each instance's measured 200s over its own measured time, summed: a paced run's instances overlap.
    rps: Math.round(runs.reduce((sum, run) => sum + run.latencies.length / run.measuredSeconds, 0)),
    p50Ms: round2(percentile(all, 50)),
    p99Ms: round2(percentile(all, 99)),
    maxMs: round2(all.length > 0 ? (all[all.length - 1] ?? Number.NaN) : Number.NaN),
    measured: all.length,
    accepted: runs.reduce((sum, run) => sum + run.accepted, 0),
    non200,
    errors: runs.reduce((sum, run) => sum + run.result.errors, 0),
  };
}

/** As fast as the target answers: each connection sends its next request when the previous one is answered. */
async function closedLoop(url: string, seconds: number): Promise<Measurement> {
  return summarize([await fire(url, { connections: CONNECTIONS, seconds })]);
}

/** RATE requests/s spread over the second: PACE_SLOTS instances, 1000/slots ms apart, 1 request/s per connection. */
async function paced(url: string, seconds: number): Promise<Measurement> {
  const startedAt = performance.now();
  const runs: Promise<Fired>[] = [];
  for (let slot = 0; slot < PACE_SLOTS; slot += 1) {
    const wait = startedAt + (slot * 1000) / PACE_SLOTS - performance.now();
    if (wait > 0) {
      await sleep(wait);
    }
    const connections = Math.floor(RATE / PACE_SLOTS) + (slot < RATE % PACE_SLOTS ? 1 : 0);
    runs.push(fire(url, { connections, seconds, paced: true }));
  }
  return summarize(await Promise.all(runs));
}

// ---- processes -----------------------------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Child output goes to stderr, so that the last line of stdout stays the JSON figures. */
function forwardOutput(child: ChildProcess, name: string): void {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '') {
        process.stderr.write(`[${name}] ${line}\n`);
      }
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited(child);
  clearTimeout(timer);
}

/** Every gateway process of the run shares the root keys: the workers open what the edge sealed. */
const ROOT_KEYS = `v1:${randomBytes(32).toString('base64')}`;

/**
 * A gateway process. `workers: false` is the webhook edge alone (GATEWAY_WORKERS=false): it accepts and publishes;
 * a second process with `workers: true` runs the intake and outbound workers on the same database and streams —
 * the deployment the gateway is designed for, where the work behind the edge never delays its answers to Meta.
 */
async function startGateway(port: number, workers: boolean): Promise<ChildProcess> {
  if (!existsSync(GATEWAY_MAIN)) {
    throw new Error(`${GATEWAY_MAIN} not found: run npm run build first`);
  }
  const child = spawn(process.execPath, [GATEWAY_MAIN], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Only what the bench sets (and PATH): a developer's own WHATSAPP_* or OTEL_* must not change what is measured.
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl(DATABASE),
      NATS_URL,
      NATS_STREAM_PREFIX: STREAM_PREFIX,
      NATS_SUBJECT_PREFIX: STREAM_PREFIX.toLowerCase(),
      CRYPTO_ROOT_KEYS: ROOT_KEYS,
      GATEWAY_PORT: String(port),
      GATEWAY_WORKERS: String(workers),
      HTTP_HOST: HOST,
      LOG_LEVEL: 'warn',
      METRICS_ENABLED: 'true',
    },
  });
  forwardOutput(child, workers ? 'gateway-workers' : 'gateway-edge');
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the gateway exited during start-up (${child.exitCode ?? child.signalCode})`);
    }
    try {
      if ((await fetch(`http://${HOST}:${port}/health/ready`)).status === 200) {
        return child;
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop(child);
  throw new Error(`the gateway was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

async function startFloor(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(FLOOR_MAIN, [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      PATH: process.env.PATH ?? '',
      FLOOR_NATS_URL: NATS_URL,
      FLOOR_STREAM: `${STREAM_PREFIX}_FLOOR`,
      FLOOR_SUBJECT: `${STREAM_PREFIX.toLowerCase()}.floor`,
      FLOOR_APP_SECRET: APP_SECRET,
      FLOOR_HOST: HOST,
    },
  });
  forwardOutput(child, 'floor');
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the floor was not ready in time'));
    }, READY_TIMEOUT_MS);
    child.once('message', (message: { port?: unknown }) => {
      clearTimeout(timer);
      if (typeof message.port === 'number') {
        resolve(message.port);
      } else {
        child.kill('SIGKILL');
        reject(new Error('the floor sent no port'));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the floor exited during start-up (${code})`));
    });
  });
  return { child, port };
}

// ---- database and streams ------------------------------------------------------------------------------------------

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.href;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function inboundMessages(client: Client): Promise<number> {
  const { rows } = await client.query<{ count: string }>('SELECT count(*) AS count FROM gateway.inbound_message');
  return Number(rows[0]?.count ?? 0);
}

/** Polls until `expected` rows exist, or none appeared for 10 s, or `seconds` have passed; returns the last count. */
async function waitForRows(client: Client, expected: number, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let count = await inboundMessages(client);
  let progressAt = performance.now();
  while (count < expected && performance.now() < deadline && performance.now() - progressAt < 10_000) {
    await sleep(250);
    const next = await inboundMessages(client);
    if (next > count) {
      progressAt = performance.now();
    }
    count = next;
  }
  return count;
}

async function deleteStreams(): Promise<void> {
  const nc = await connect({ servers: NATS_URL, name: 'webhook-bench-cleanup' });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${STREAM_PREFIX}_`)) {
        await jsm.streams.delete(info.config.name);
      }
    }
  } finally {
    await nc.close();
  }
}

// ---- report --------------------------------------------------------------------------------------------------------

function row(name: string, m: Measurement): string {
  const non200 = Object.values(m.non200).reduce((sum, count) => sum + count, 0);
  return [
    name.padEnd(34),
    String(m.rps).padStart(8),
    m.p50Ms.toFixed(2).padStart(9),
    m.p99Ms.toFixed(2).padStart(9),
    m.maxMs.toFixed(2).padStart(9),
    String(m.measured).padStart(8),
    String(non200).padStart(8),
    String(m.errors).padStart(7),
  ].join(' ');
}

function checkpoint(): void {
  if (interrupted) {
    throw new Error('interrupted');
  }
}

async function main(): Promise<void> {
  const interrupt = () => {
    interrupted = true;
    for (const instance of running) {
      instance.stop();
    }
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  let gateway: ChildProcess | undefined;
  let gatewayWorkers: ChildProcess | undefined;
  let floor: ChildProcess | undefined;
  let rows: Client | undefined;
  let databaseCreated = false;
  const failures: string[] = [];
  try {
    await admin((client) => client.query(`CREATE DATABASE "${DATABASE}"`));
    databaseCreated = true;
    const started = await startFloor();
    floor = started.child;
    const floorUrl = `http://${HOST}:${started.port}`;
    const gatewayPort = await freePort();
    gateway = await startGateway(gatewayPort, false);
    const gatewayUrl = `http://${HOST}:${gatewayPort}`;
    rows = new Client({ connectionString: databaseUrl(DATABASE) });
    await rows.connect();
    checkpoint();

    console.log(
      `webhook bench: ${availableParallelism()} CPUs shared by load generator, gateway, floor, NATS and PostgreSQL; ` +
        `peak: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${PEAK_SECONDS} s; ` +
        `sustained: ${RATE}/s for ${SUSTAIN_SECONDS} s in ${PACE_SLOTS} paced slots`,
    );
    const all: { name: string; measurement: Measurement }[] = [];
    let accepted = 0;
    const measure = async (name: string, url: string, work: () => Promise<Measurement>, shown = true) => {
      const measurement = await work();
      checkpoint();
      if (url === gatewayUrl) {
        accepted += measurement.accepted;
      }
      all.push({ name, measurement });
      if (shown) {
        console.log(row(name, measurement));
      }
      return measurement;
    };

    console.log(
      `${'run'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ` +
        `${'max ms'.padStart(9)} ${'200s'.padStart(8)} ${'non-200'.padStart(8)} ${'errors'.padStart(7)}`,
    );
    await measure('warm-up floor', floorUrl, () => closedLoop(floorUrl, WARMUP_SECONDS), false);
    const floorPeak = await measure(`peak floor (${CONNECTIONS} conn, ${PEAK_SECONDS} s)`, floorUrl, () =>
      closedLoop(floorUrl, PEAK_SECONDS),
    );
    await measure('warm-up gateway', gatewayUrl, () => closedLoop(gatewayUrl, WARMUP_SECONDS), false);
    const gatewayPeak = await measure(`peak gateway (${CONNECTIONS} conn, ${PEAK_SECONDS} s)`, gatewayUrl, () =>
      closedLoop(gatewayUrl, PEAK_SECONDS),
    );

    // The workers start now, as their own process, and drain what the edge accepted during the peak run.
    gatewayWorkers = await startGateway(await freePort(), true);
    const drainStarted = performance.now();
    const before = await inboundMessages(rows);
    const drained = await waitForRows(rows, accepted, DRAIN_SECONDS);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    console.log(
      `  drain: ${drained}/${accepted} accepted webhooks processed into inbound_message ` +
        `(${drained - before} in ${drainSeconds.toFixed(1)} s after the peak run, ` +
        `${Math.round((drained - before) / drainSeconds)}/s)`,
    );
    checkpoint();

    const floorSustained = await measure(`sustained floor (${RATE}/s, ${SUSTAIN_SECONDS} s)`, floorUrl, () =>
      paced(floorUrl, SUSTAIN_SECONDS),
    );
    const rowsBeforeSustained = await inboundMessages(rows);
    const gatewaySustained = await measure(`sustained gateway (${RATE}/s, ${SUSTAIN_SECONDS} s)`, gatewayUrl, () =>
      paced(gatewayUrl, SUSTAIN_SECONDS),
    );
    const processedDuringSustained = (await inboundMessages(rows)) - rowsBeforeSustained;
    const processed = await waitForRows(rows, accepted, PROCESS_SECONDS);
    const processedEventually = processed >= accepted ? processed : await waitForRows(rows, accepted, DRAIN_SECONDS);

    const peakRatio = round2(gatewayPeak.rps / floorPeak.rps);
    const sustainedNon200 = Object.values(gatewaySustained.non200).reduce((sum, count) => sum + count, 0);
    const met = {
      p99: gatewaySustained.p99Ms <= TARGET_P99_MS && gatewaySustained.rps >= RATE * 0.98 && sustainedNon200 === 0,
      peakRatio: peakRatio >= TARGET_PEAK_RATIO,
    };
    console.log(
      `peak ratio gateway/floor: ${peakRatio} (target >= ${TARGET_PEAK_RATIO}: ${met.peakRatio ? 'met' : 'MISSED'})`,
    );
    console.log(
      `sustained gateway: ${gatewaySustained.rps}/s of ${RATE}/s, p99 ${gatewaySustained.p99Ms} ms ` +
        `(target p99 <= ${TARGET_P99_MS} ms at ${RATE}/s, every answer 200: ${met.p99 ? 'met' : 'MISSED'})`,
    );
    console.log(
      `processed: ${processed}/${accepted} accepted webhooks are inbound_message rows ${PROCESS_SECONDS} s after ` +
        `the last run (${processedEventually} after waiting up to ${DRAIN_SECONDS} s more); ` +
        `${processedDuringSustained} were processed during the ${SUSTAIN_SECONDS} s sustained run ` +
        `(${Math.round(processedDuringSustained / SUSTAIN_SECONDS)}/s)`,
    );

    for (const { name, measurement } of all) {
      const non200 = Object.entries(measurement.non200);
      if (non200.length > 0 || measurement.errors > 0) {
        failures.push(
          `${name}: ${non200.map(([status, count]) => `${count} × ${status}`).join(', ') || 'no non-200'}, ` +
            `${measurement.errors} connection errors/timeouts`,
        );
      }
    }
    if (processedEventually < accepted) {
      failures.push(`only ${processedEventually} of ${accepted} accepted webhooks were ever processed`);
    }
    const figures = (m: Measurement) => ({ peakRps: m.rps, p50Ms: m.p50Ms, p99Ms: m.p99Ms });
    const sustained = (m: Measurement) => ({
      achievedRps: m.rps,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      maxMs: m.maxMs,
      non200: Object.values(m.non200).reduce((sum, count) => sum + count, 0),
      errors: m.errors,
    });
    for (const failure of failures) {
      console.error(`FAILED: ${failure}`);
    }
    console.log(
      JSON.stringify({
        bench: 'webhook',
        cpus: availableParallelism(),
        connections: CONNECTIONS,
        peakSeconds: PEAK_SECONDS,
        floor: figures(floorPeak),
        gateway: figures(gatewayPeak),
        peakRatio,
        sustained: { targetRps: RATE, seconds: SUSTAIN_SECONDS, paceSlots: PACE_SLOTS, ...sustained(gatewaySustained) },
        sustainedFloor: sustained(floorSustained),
        targets: { p99MsMax: TARGET_P99_MS, peakRatioMin: TARGET_PEAK_RATIO },
        met,
        accepted,
        processed,
        processedEventually,
        processedDuringSustainedRps: Math.round(processedDuringSustained / SUSTAIN_SECONDS),
      }),
    );
  } finally {
    await rows?.end().catch(() => undefined);
    await stop(gateway);
    await stop(gatewayWorkers);
    await stop(floor);
    await deleteStreams().catch((error: unknown) => console.error('could not delete the bench streams:', error));
    if (databaseCreated) {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`)).catch(
        (error: unknown) => console.error('could not drop the bench database:', error),
      );
    }
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  if (failures.length > 0) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
