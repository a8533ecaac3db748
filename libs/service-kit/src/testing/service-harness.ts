import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  contracts,
  type Contracts,
  type EventEnvelope,
  type EventSubject,
  type Payload,
  type ServiceName,
} from '@trustline/contracts';
import { localKeyProviderFromEnv, TransitCipher, type KeyProvider } from '@trustline/crypto';
import { createBusFromEnv, type MessageBus, type Subscription } from '@trustline/messaging';
import { dataSourceOptions, EmbeddedPostgres, openDatabase, type Database } from '@trustline/persistence';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadServiceConfig } from '../run-service';
import { startServiceApp, type RunningService } from '../service-app';
import type { ServiceDefinition } from '../service-definition';
import { testDatabaseUrl, testNatsUrl } from './test-infrastructure.env';

let counter = 0;

/** Unique, lowercase, NATS- and Postgres-safe name for this test process. */
export function uniqueTestName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(25);
  }
}

export interface ServiceHarnessOptions {
  /** `nats` (default): JetStream on the test server, streams under a unique prefix; `in-process`: memory bus. */
  readonly bus?: 'nats' | 'in-process';
  /**
   * `postgres` (default): a database created on the test server; `embedded`: an in-memory PGlite as standalone mode
   * runs it (one session for the process; no restarts).
   */
  readonly database?: 'postgres' | 'embedded';
  /** The NATS server for the `nats` bus (default: the test server), e.g. one the test stops and starts. */
  readonly natsUrl?: string;
  /** Variables on top of the harness's own (they win). */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse the database, streams and root keys of an earlier harness: a restart. */
  readonly restartOf?: ServiceHarness;
}

/**
 * One service as distributed mode runs it — its own Nest application on a real PostgreSQL database (created for the
 * test, dropped after) and real JetStream (streams under a unique prefix) — plus a second bus connection that
 * plays the other services: it publishes, requests, and records what the service publishes.
 */
export class ServiceHarness {
  private readonly subscriptions: Subscription[] = [];

  private constructor(
    readonly definition: ServiceDefinition,
    readonly service: RunningService,
    /** The other services' side of the bus. */
    readonly peers: MessageBus<Contracts>,
    readonly database: Database,
    /** Direct access to the service's schema, for assertions. */
    readonly db: DataSource,
    readonly transit: TransitCipher,
    readonly keyProvider: KeyProvider,
    readonly env: Readonly<Record<string, string>>,
    private readonly databaseName: string,
    private readonly streamPrefix: string | undefined,
    private readonly embedded: boolean,
  ) {}

  static async start(definition: ServiceDefinition, options: ServiceHarnessOptions = {}): Promise<ServiceHarness> {
    const previous = options.restartOf;
    const embedded = options.database === 'embedded';
    if (previous && (embedded || previous.embedded)) {
      throw new Error('an embedded (in-memory) database does not survive a restart');
    }
    const databaseName = previous?.databaseName ?? uniqueTestName(definition.name.replace('-', '_')).toLowerCase();
    if (!previous && !embedded) {
      const admin = new Client({ connectionString: testDatabaseUrl() });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${databaseName}"`);
      await admin.end();
    }
    const databaseUrl = new URL(testDatabaseUrl());
    databaseUrl.pathname = `/${databaseName}`;
    const streamPrefix =
      options.bus === 'in-process' ? undefined : (previous?.streamPrefix ?? uniqueTestName('SVC').toUpperCase());
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      ...(embedded ? {} : { DATABASE_URL: databaseUrl.href }),
      [definition.portVariable]: String(await freePort()),
      CRYPTO_ROOT_KEYS: previous?.env.CRYPTO_ROOT_KEYS ?? `v1:${randomBytes(32).toString('base64')}`,
      ...(streamPrefix
        ? {
            NATS_URL: options.natsUrl ?? testNatsUrl(),
            NATS_STREAM_PREFIX: streamPrefix,
            NATS_SUBJECT_PREFIX: streamPrefix.toLowerCase(),
          }
        : {}),
      ...previous?.env,
      ...options.env,
    };
    const config = loadServiceConfig(definition, env);
    const keyProvider = await localKeyProviderFromEnv(config);
    const database = embedded ? await EmbeddedPostgres.open(`memory://${databaseName}`) : await openDatabase(config);
    const peers = createBusFromEnv(contracts, config, { name: `${definition.name}-peers` });
    await peers.start();
    const service = await startServiceApp(definition, config, { database, bus: peers, keyProvider });
    const schema = definition.name.replace('-', '_');
    // On the embedded database the test reads through the same session lock as the service.
    const db = new DataSource(
      embedded
        ? dataSourceOptions({ schema, entities: [], migrations: [], database })
        : { type: 'postgres', url: databaseUrl.href, schema },
    );
    await db.initialize();
    return new ServiceHarness(
      definition,
      service,
      peers,
      database,
      db,
      new TransitCipher(keyProvider),
      keyProvider,
      env,
      databaseName,
      streamPrefix,
      embedded,
    );
  }

  get url(): string {
    return this.service.url;
  }

  /** Records every event of `subject` from now on, as the consumer `consumer` (default: audit). */
  async observe<S extends EventSubject>(
    subject: S,
    consumer: ServiceName = 'audit',
  ): Promise<EventEnvelope<Payload<S>>[]> {
    const list: EventEnvelope<Payload<S>>[] = [];
    this.subscriptions.push(
      await this.peers.consume({
        subject,
        consumer,
        handler: (envelope) => {
          list.push(envelope);
          return Promise.resolve();
        },
      }),
    );
    return list;
  }

  /** Opens a value the service sealed for transit, as the receiving service would. */
  async openTransit(tenantId: string, sealed: string, subjectRef: string, field: string): Promise<unknown> {
    return JSON.parse(await this.transit.openText(sealed, { tenantId, subjectRef, field })) as unknown;
  }

  async count(table: string, where = 'true', parameters: unknown[] = []): Promise<number> {
    const rows: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM "${this.schema}"."${table}" WHERE ${where}`,
      parameters,
    );
    return Number(rows[0]?.n ?? 0);
  }

  get schema(): string {
    return this.definition.name.replace('-', '_');
  }

  /** Every message body stored in this test's JetStream streams, as text: what NATS keeps on disk. */
  async storedMessages(): Promise<string[]> {
    if (!this.streamPrefix) {
      return [];
    }
    const nc = await connect({ servers: this.natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      const bodies: string[] = [];
      for await (const name of jsm.streams.names()) {
        if (!name.startsWith(this.streamPrefix)) {
          continue;
        }
        const { state } = await jsm.streams.info(name);
        for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq += 1) {
          const message = await jsm.streams.getMessage(name, { seq }).catch(() => null);
          if (message) {
            bodies.push(new TextDecoder().decode(message.data));
          }
        }
      }
      return bodies;
    } finally {
      await nc.close();
    }
  }

  private get natsUrl(): string {
    return this.env.NATS_URL ?? testNatsUrl();
  }

  /** Stops the application and its adapters but keeps the database and streams (for a restart). */
  async stop(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) {
      await subscription.stop();
    }
    await this.service.app.close();
    await this.peers.close();
    await this.database.close();
    await this.db.destroy();
  }

  /** Stops, then drops the database and the test's streams. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    if (!this.embedded) {
      const admin = new Client({ connectionString: testDatabaseUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`);
      await admin.end();
    }
    if (this.streamPrefix) {
      const nc = await connect({ servers: this.natsUrl });
      const jsm = await jetstreamManager(nc);
      for await (const name of jsm.streams.names()) {
        if (name.startsWith(this.streamPrefix)) {
          await jsm.streams.delete(name);
        }
      }
      await nc.close();
    }
  }
}
