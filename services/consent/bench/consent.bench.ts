// Consent check latency and throughput with BENCH_CONTACTS contacts (default 100,000), as the gateway performs it
// at send time: `consent.rpc.send-permission.v1` over NATS request/reply from this process (playing the gateway),
// answered by the consent service in its own process (dist/services/consent/src/main.js, distributed mode: a fresh
// PostgreSQL database and JetStream) from one primary-key lookup. Next to it, in the same run on the same database: the floor, a single indexed PostgreSQL lookup of the
// same row through the same driver (pg), without the bus, the envelope, validation or the rules. For reading the
// figures, a third row: one NATS request/reply hop to a process that only echoes (the transport's own cost).
//
// Contacts are seeded straight into consent's tables (one INSERT … SELECT generate_series per table): 90% granted,
// 5% opted out, 5% declined, each with the state of the `assistant` purpose. Checks pick contacts at random.
//
// Runs, in this order:
//   latency     BENCH_LATENCY_CHECKS checks one at a time (closed loop, concurrency 1): p50, p99, max.
//   throughput  BENCH_THROUGHPUT_SECONDS with BENCH_CONCURRENCY checks in flight: checks/s and p99 under load.
// Target: p99 <= 2 ms for the check at concurrency 1 (the gateway asks once per message, just before sending).
// The load generator shares the machine's 2 cores with consent, NATS and PostgreSQL: figures are lower bounds of
// what the service does on its own cores. The last line of output is one line of JSON.
//
// Env: BENCH_CONTACTS (100000), BENCH_LATENCY_CHECKS (5000), BENCH_THROUGHPUT_SECONDS (5), BENCH_CONCURRENCY (32),
// BENCH_DATABASE_URL / BENCH_NATS_URL (defaults: the local PostgreSQL and NATS), BENCH_PROFILE_DIR (write a CPU
// profile of the consent process there).
import { connect } from '@nats-io/transport-node';
import { consentService } from '@trustline/consent-service';
import { createEnvelope } from '@trustline/contracts';
import { freePort, ServiceHarness } from '@trustline/service-kit/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { writeConsentBenchTenants } from './bench-tenants';

const CONTACTS = positive('BENCH_CONTACTS', 100_000);
const LATENCY_CHECKS = positive('BENCH_LATENCY_CHECKS', 5_000);
const THROUGHPUT_SECONDS = positive('BENCH_THROUGHPUT_SECONDS', 5);
const CONCURRENCY = positive('BENCH_CONCURRENCY', 32);
const TENANT = 'bench-tenant';
const TARGET_P99_MS = 2;
const CONSENT_MAIN = join(__dirname, '..', 'src', 'main.js');

interface Figures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly perSecond: number;
  readonly underLoadP99Ms: number;
}

async function main(): Promise<void> {
  // The harness finds PostgreSQL and NATS through TEST_DATABASE_URL / TEST_NATS_URL.
  for (const [bench, test] of [
    ['BENCH_DATABASE_URL', 'TEST_DATABASE_URL'],
    ['BENCH_NATS_URL', 'TEST_NATS_URL'],
  ] as const) {
    const value = process.env[bench];
    if (value !== undefined) {
      process.env[test] = value;
    }
  }
  const harness = await ServiceHarness.start(consentService, {
    env: {
      CONSENT_TENANTS_FILE: writeConsentBenchTenants(TENANT),
      CONSENT_GRPC_PORT: String(await freePort()),
      LOG_LEVEL: 'error',
    },
  });
  try {
    const seeded = performance.now();
    await seed(harness);
    console.log(`seeded ${CONTACTS.toLocaleString('en')} contacts in ${Math.round(performance.now() - seeded)} ms`);
    // The schema is migrated and seeded: from here consent runs as deployed, in its own process.
    await harness.service.app.close();
    const consent = await startConsentProcess(harness.env);
    const databaseUrl = harness.env.DATABASE_URL;
    // A pool as large as consent's own (DB_POOL_MAX default 10), so the floor is not serialised on one connection.
    const pg = new Pool({ connectionString: databaseUrl, max: 10 });
    const lookup = (ref: string) =>
      pg.query(
        `SELECT "state", "notice_version", "platform_stopped" FROM "consent"."purpose_state"
          WHERE "tenant_id" = $1 AND "subject_ref" = $2 AND "purpose" = 'assistant'`,
        [TENANT, ref],
      );
    const check = (ref: string) =>
      harness.peers.request(
        'consent.rpc.send-permission.v1',
        createEnvelope({
          producer: 'gateway',
          tenantId: TENANT,
          data: { contactRef: ref, purpose: 'conversation', outboundId: randomUUID() },
        }),
      );
    // Warm both paths (JIT, connection, plan cache) before measuring.
    await measure('warm-up', lookup, 3000, 1);
    await measure('warm-up', check, 3000, 1);
    const floor = await measure('PostgreSQL indexed lookup (floor)', lookup, LATENCY_CHECKS, CONCURRENCY);
    // For reading the figures: what one NATS request/reply hop costs here, to a process that only echoes.
    const echo = await startEchoResponder(harness.env.NATS_URL);
    const nc = await connect({ servers: harness.env.NATS_URL });
    const payload = new TextEncoder().encode(JSON.stringify({ contactRef: randomContact(), purpose: 'conversation' }));
    const hop = (_ref: string) => nc.request(ECHO_SUBJECT, payload, { timeout: 5_000 });
    await measure('warm-up', hop, 3000, 1);
    const transport = await measure(
      'NATS request/reply to an echo process (reference)',
      hop,
      LATENCY_CHECKS,
      CONCURRENCY,
    );
    await nc.close();
    await stop(echo);
    const gateway = await measure(
      'consent check as the gateway asks it (NATS RPC)',
      check,
      LATENCY_CHECKS,
      CONCURRENCY,
    );
    await pg.end();
    await stop(consent);
    console.log('');
    console.log(
      `check p99 ${gateway.p99Ms} ms (target <= ${TARGET_P99_MS} ms): ${gateway.p99Ms <= TARGET_P99_MS ? 'met' : 'NOT met'}`,
    );
    console.log(
      `check throughput ${gateway.perSecond}/s = ${ratio(gateway.perSecond, floor.perSecond)} of the floor's ${floor.perSecond}/s`,
    );
    console.log(
      JSON.stringify({
        bench: 'consent',
        contacts: CONTACTS,
        check: gateway,
        floor,
        natsEcho: transport,
        throughputRatio: ratio(gateway.perSecond, floor.perSecond),
        targetP99Ms: TARGET_P99_MS,
        targetMet: gateway.p99Ms <= TARGET_P99_MS,
      }),
    );
  } finally {
    await harness.destroy();
  }
}

const ECHO_SUBJECT = `bench.echo.${process.pid}`;

/** A process that answers every request on ECHO_SUBJECT with its own payload: the transport alone. */
async function startEchoResponder(natsUrl: string): Promise<ChildProcess> {
  const script = `
    const { connect } = require('@nats-io/transport-node');
    connect({ servers: ${JSON.stringify(natsUrl)} }).then(async (nc) => {
      nc.subscribe(${JSON.stringify(ECHO_SUBJECT)}, { callback: (_error, msg) => msg.respond(msg.data) });
      await nc.flush();
      process.send('ready');
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the echo responder exited (${code})`)));
  });
  return child;
}

async function startConsentProcess(env: Readonly<Record<string, string>>): Promise<ChildProcess> {
  if (!existsSync(CONSENT_MAIN)) {
    throw new Error(`${CONSENT_MAIN} not found: run npm run build first`);
  }
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
      CONSENT_MAIN,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      // Only what the bench sets (and PATH): a developer's own variables must not change what is measured.
      env: { PATH: process.env.PATH ?? '', ...env, NODE_ENV: 'development', LOG_LEVEL: 'error' },
    },
  );
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`consent exited during start-up (${child.exitCode ?? child.signalCode})`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${env.CONSENT_PORT}/health/ready`)).status === 200) {
        return child;
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop(child);
  throw new Error('consent was not ready within 30 s');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function seed(harness: ServiceHarness): Promise<void> {
  // Status by position: every 20th opted out, every 20th (offset 10) declined, the rest granted on notice 1.
  await harness.db.query(
    `INSERT INTO "consent"."consent_subject" ("tenant_id", "subject_ref", "status", "granted_version", "granted_purposes", "regime")
     SELECT $1, 'bench-contact-' || lpad(i::text, 8, '0'),
            CASE WHEN i % 20 = 0 THEN 'opted-out' WHEN i % 20 = 10 THEN 'declined' ELSE 'granted' END,
            1, '{assistant}', 'eu-gdpr'
       FROM generate_series(1, $2) AS i`,
    [TENANT, CONTACTS],
  );
  await harness.db.query(
    `INSERT INTO "consent"."purpose_state" ("tenant_id", "subject_ref", "purpose", "state", "notice_version", "decided_at", "last_record_id")
     SELECT $1, 'bench-contact-' || lpad(i::text, 8, '0'), 'assistant',
            CASE WHEN i % 20 = 0 THEN 'withdrawn' WHEN i % 20 = 10 THEN 'declined' ELSE 'granted' END,
            1, now(), gen_random_uuid()
       FROM generate_series(1, $2) AS i`,
    [TENANT, CONTACTS],
  );
  await harness.db.query(`ANALYZE "consent"."consent_subject"; ANALYZE "consent"."purpose_state"`);
}

function randomContact(): string {
  return `bench-contact-${String(1 + Math.floor(Math.random() * CONTACTS)).padStart(8, '0')}`;
}

async function measure(
  label: string,
  operation: (ref: string) => Promise<unknown>,
  checks: number,
  concurrency: number,
): Promise<Figures> {
  const sequential: number[] = [];
  for (let i = 0; i < checks; i += 1) {
    const started = performance.now();
    await operation(randomContact());
    sequential.push(performance.now() - started);
  }
  if (label === 'warm-up') {
    return { p50Ms: 0, p99Ms: 0, maxMs: 0, perSecond: 0, underLoadP99Ms: 0 };
  }
  const loaded: number[] = [];
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await operation(randomContact());
        loaded.push(performance.now() - t);
        done += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const figures: Figures = {
    p50Ms: percentile(sequential, 0.5),
    p99Ms: percentile(sequential, 0.99),
    maxMs: round(Math.max(...sequential)),
    perSecond: Math.round(done / elapsed),
    underLoadP99Ms: percentile(loaded, 0.99),
  };
  console.log(
    `${label.padEnd(50)} p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms  max ${figures.maxMs} ms  |  ` +
      `${figures.perSecond}/s at concurrency ${concurrency} (p99 ${figures.underLoadP99Ms} ms)`,
  );
  return figures;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number`);
  }
  return value;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
