// `npm run start:distributed`: the six services as six processes, on the local PostgreSQL (one role per service,
// owning only its schema) and NATS JetStream — the topology docker-compose and the Helm chart run.
//
// Variables (besides every service variable, passed through to the services):
//   DATABASE_ADMIN_URL  superuser connection used to create the database and roles
//                       (default postgres://postgres@127.0.0.1:5432/postgres)
//   TRUSTLINE_DATABASE  database the services use (default trustline)
//   NATS_URL            default nats://127.0.0.1:4222
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = [
  ['audit', 3005],
  ['retention', 3003],
  ['dsar', 3004],
  ['conversation-ai', 3002],
  ['consent', 3001],
  ['gateway', 3000],
];
const adminUrl = new URL(process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const databaseName = process.env.TRUSTLINE_DATABASE ?? 'trustline';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const host = process.env.HTTP_HOST ?? '127.0.0.1';
// The Cloud API simulator plays Meta for the development tenant unless SIMULATOR_ENABLED=false.
const simulatorEnabled = process.env.SIMULATOR_ENABLED !== 'false';
const simulatorPort = process.env.SIMULATOR_PORT ?? '3900';
const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;

const roleOf = (service) => service.replace(/-/g, '_');
const portVariable = (service) => `${service.toUpperCase().replace(/-/g, '_')}_PORT`;
const log = (message) => process.stdout.write(`[distributed] ${message}\n`);
const trace = (message) => process.env.LAUNCHER_TRACE && log(`${new Date().toISOString()} ${message}`);

if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) {
  throw new Error('TRUSTLINE_DATABASE must be a plain lower-case identifier');
}

const children = new Map();
let stopping = false;

async function ensureDatabase() {
  const admin = new pg.Client({ connectionString: adminUrl.href });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (rowCount === 0) {
      await admin.query(`CREATE DATABASE "${databaseName}"`);
      log(`created database ${databaseName}`);
    }
  } finally {
    await admin.end();
  }
}

// The role SQL is psql-flavoured (variables, \if); passwords are fresh per run and handed to the services only.
function ensureRoles(passwords) {
  const target = new URL(adminUrl.href);
  target.pathname = `/${databaseName}`;
  const args = [target.href, '-q', '-v', 'ON_ERROR_STOP=1', '-f', join(root, 'deploy/postgres/init.sql')];
  for (const [service] of SERVICES) {
    args.push('-v', `${roleOf(service)}_password=${passwords.get(service)}`);
  }
  const result = spawnSync('psql', args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
  if (result.error || result.status !== 0) {
    throw new Error('could not apply deploy/postgres/init.sql with psql (is the PostgreSQL client installed?)');
  }
}

// Polls until ready, or until a stop began (a signal during start-up is a normal stop, not a failure).
async function waitReady(service, port, deadline) {
  const url = service === 'simulator' ? `${simulatorUrl}/_sim/health` : `http://${host}:${port}/health/ready`;
  while (!stopping && performance.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!stopping) {
    throw new Error(`${service} did not become ready at ${url}`);
  }
}

function stopAll(signal) {
  if (stopping) {
    return;
  }
  stopping = true;
  // The gateway first, so intake stops before the consumers behind it.
  for (const [service] of [...SERVICES].reverse()) {
    children.get(service)?.kill(signal);
  }
  children.get('simulator')?.kill(signal);
}

/**
 * Without configured root keys, the six processes share the development key in DATA_DIR (services must share root
 * keys to open each other's sealed event fields). Created here, once, before they start, so none races another.
 */
function ensureDevelopmentRootKey() {
  if (process.env.CRYPTO_ROOT_KEYS || process.env.CRYPTO_ROOT_KEYS_FILE) {
    return;
  }
  const dataDir = process.env.DATA_DIR ?? '.data';
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(join(dataDir, 'root-keys'), `v1:${randomBytes(32).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    log(`generated a development root key in ${join(dataDir, 'root-keys')}`);
  } catch (error) {
    if (error.code !== 'EEXIST') {
      throw error;
    }
  }
}

async function main() {
  ensureDevelopmentRootKey();
  trace('ensuring database');
  await ensureDatabase();
  const passwords = new Map(SERVICES.map(([service]) => [service, randomBytes(18).toString('base64url')]));
  const rolesStarted = performance.now();
  ensureRoles(passwords);
  log(`database ${databaseName} and one role per service ready (${Math.round(performance.now() - rolesStarted)} ms)`);

  const exits = [];
  const watch = (service, child) => {
    children.set(service, child);
    trace(`spawned ${service} as pid ${child.pid}`);
    exits.push(
      new Promise((resolve) =>
        child.on('exit', (code, signal) => {
          if (!stopping) {
            log(`${service} exited unexpectedly (${signal ?? code}); stopping the others`);
            process.exitCode = 1;
            stopAll('SIGTERM');
          }
          if (code !== 0) {
            log(`${service} exited with ${signal ?? code}`);
          }
          resolve(code === 0);
        }),
      ),
    );
  };
  if (simulatorEnabled) {
    const simulatorEnv = {
      ...process.env,
      SIMULATOR_HOST: '127.0.0.1',
      SIMULATOR_PORT: simulatorPort,
      SIMULATOR_WEBHOOK_URL: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${env('gateway')}/webhooks/whatsapp`,
      SIMULATOR_APP_SECRET: process.env.WHATSAPP_APP_SECRET ?? 'dev-app-secret',
      SIMULATOR_ACCESS_TOKEN: process.env.WHATSAPP_ACCESS_TOKEN ?? 'dev-access-token',
      SIMULATOR_PHONE_NUMBER_ID: process.env.WHATSAPP_PHONE_NUMBER_ID ?? '100000000000001',
      SIMULATOR_DISPLAY_NUMBER: process.env.WHATSAPP_DISPLAY_NUMBER ?? '15550000001',
    };
    watch(
      'simulator',
      spawn(process.execPath, [join(root, 'dist/services/cloud-api-simulator/src/main.js')], {
        env: simulatorEnv,
        stdio: ['ignore', 'inherit', 'inherit'],
      }),
    );
  }
  for (const [service, defaultPort] of SERVICES) {
    const databaseUrl = new URL(adminUrl.href);
    databaseUrl.username = roleOf(service);
    databaseUrl.password = passwords.get(service);
    databaseUrl.pathname = `/${databaseName}`;
    const env = {
      ...process.env,
      // A development launcher: the development tenant's defaults apply unless NODE_ENV says otherwise.
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      DATABASE_URL: databaseUrl.href,
      NATS_URL: natsUrl,
      [portVariable(service)]: process.env[portVariable(service)] ?? String(defaultPort),
      ...(service === 'gateway' && simulatorEnabled && process.env.WHATSAPP_API_BASE_URL === undefined
        ? { WHATSAPP_API_BASE_URL: simulatorUrl }
        : {}),
    };
    const child = spawn(process.execPath, [join(root, `dist/services/${service}/src/main.js`)], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    watch(service, child);
  }
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGTERM'));

  const deadline = performance.now() + 60_000;
  try {
    await Promise.all([
      ...SERVICES.map(([service]) => waitReady(service, env(service), deadline)),
      ...(simulatorEnabled ? [waitReady('simulator', simulatorPort, deadline)] : []),
    ]);
    if (!stopping) {
      log('Trustline is running (distributed mode: six processes, PostgreSQL, NATS JetStream).');
      for (const [service] of [...SERVICES].reverse()) {
        log(`  ${service.padEnd(16)} http://${host}:${env(service)}`);
      }
      if (simulatorEnabled) {
        log(`  ${'Cloud API sim'.padEnd(16)} ${simulatorUrl}  (chat with the platform: npm run chat)`);
      }
      log('all six services ready. Press Ctrl-C to stop.');
    }
  } catch (error) {
    log(error.message);
    process.exitCode = 1;
    stopAll('SIGTERM');
  }
  const clean = await Promise.all(exits);
  if (!clean.every(Boolean)) {
    process.exitCode = 1;
  }
  log(process.exitCode ? 'stopped with errors' : 'stopped');
}

function env(service) {
  return process.env[portVariable(service)] ?? String(SERVICES.find(([name]) => name === service)[1]);
}

main().catch((error) => {
  log(`failed to start: ${error.message}`);
  stopAll('SIGTERM');
  process.exitCode = 1;
});
