import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { contracts, type Contracts, type EventEnvelope, type EventSubject, type Payload } from '@trustline/contracts';
import { localKeyProviderFromEnv, TransitCipher, type KeyProvider } from '@trustline/crypto';
import { gatewayService } from '@trustline/gateway-service';
import { createBusFromEnv, type MessageBus, type Subscription } from '@trustline/messaging';
import { dataSourceOptions, EmbeddedPostgres, openDatabase, type Database } from '@trustline/persistence';
import { loadServiceConfig, startServiceApp, type RunningService } from '@trustline/service-kit';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { uniqueName } from './wait';

export const adminUrl = (): string => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const natsUrl = (): string => process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

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

export interface GatewayOptions {
  /** The Cloud API the sender talks to (the simulator's URL). */
  readonly apiBaseUrl?: string;
  /** `nats` (default): JetStream on the test server, or on `natsServers` when given; `in-process`: memory bus. */
  readonly bus?: 'nats' | 'in-process';
  /**
   * `postgres` (default): a database created on the test server; `embedded`: an in-memory PGlite as standalone mode
   * runs it (one session for the process; no restarts).
   */
  readonly database?: 'postgres' | 'embedded';
  readonly natsServers?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse a database (and root keys) from an earlier harness: a restart. */
  readonly restartOf?: GatewayHarness;
}

/**
 * The gateway as distributed mode runs it — its own Nest application on a real PostgreSQL database (created for
 * the test, dropped after) and real JetStream (streams under a unique prefix) — plus an observer on the same bus
 * that records what the gateway publishes, as another service would.
 */
export class GatewayHarness {
  private readonly subscriptions: Subscription[] = [];
  private readonly seen = new Map<string, EventEnvelope<object>[]>();

  private constructor(
    readonly service: RunningService,
    readonly bus: MessageBus<Contracts>,
    readonly database: Database,
    readonly db: DataSource,
    readonly transit: TransitCipher,
    readonly keyProvider: KeyProvider,
    readonly env: Readonly<Record<string, string>>,
    private readonly databaseName: string,
    private readonly streamPrefix: string | undefined,
    private readonly embedded = false,
  ) {}

  static async start(options: GatewayOptions = {}): Promise<GatewayHarness> {
    const previous = options.restartOf;
    const embedded = options.database === 'embedded';
    if (embedded && previous) {
      throw new Error('an embedded (in-memory) database does not survive a restart');
    }
    const databaseName = previous?.databaseName ?? uniqueName('gw').toLowerCase();
    if (!previous && !embedded) {
      const admin = new Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${databaseName}"`);
      await admin.end();
    }
    const databaseUrl = new URL(adminUrl());
    databaseUrl.pathname = `/${databaseName}`;
    const streamPrefix =
      options.bus === 'in-process' ? undefined : (previous?.streamPrefix ?? uniqueName('GW').toUpperCase());
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      ...(embedded ? {} : { DATABASE_URL: databaseUrl.href }),
      GATEWAY_PORT: String(await freePort()),
      CRYPTO_ROOT_KEYS: previous?.env.CRYPTO_ROOT_KEYS ?? `v1:${randomBytes(32).toString('base64')}`,
      WHATSAPP_API_BASE_URL: options.apiBaseUrl ?? 'http://127.0.0.1:9',
      WHATSAPP_SEND_TIMEOUT_MS: '2000',
      ...(streamPrefix
        ? {
            NATS_URL: options.natsServers ?? natsUrl(),
            NATS_STREAM_PREFIX: streamPrefix,
            NATS_SUBJECT_PREFIX: streamPrefix.toLowerCase(),
          }
        : {}),
      ...options.env,
    };
    const config = loadServiceConfig(gatewayService, env);
    const keyProvider = await localKeyProviderFromEnv(config);
    const database = embedded ? await EmbeddedPostgres.open(`memory://${databaseName}`) : await openDatabase(config);
    const bus = createBusFromEnv(contracts, config, { name: 'gateway-test' });
    await bus.start();
    const service = await startServiceApp(gatewayService, config, { database, bus, keyProvider });
    // On the embedded database the test reads through the same session lock as the gateway.
    const db = new DataSource(
      embedded
        ? dataSourceOptions({ schema: 'gateway', entities: [], migrations: [], database })
        : { type: 'postgres', url: databaseUrl.href, schema: 'gateway' },
    );
    await db.initialize();
    return new GatewayHarness(
      service,
      bus,
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

  /** Records every event of `subject` from now on (as the consumer `audit`, so it never steals the gateway's). */
  async observe<S extends EventSubject>(subject: S): Promise<EventEnvelope<Payload<S>>[]> {
    const list: EventEnvelope<object>[] = [];
    this.seen.set(subject, list);
    this.subscriptions.push(
      await this.bus.consume({
        subject,
        consumer: 'audit',
        handler: (envelope) => {
          list.push(envelope);
          return Promise.resolve();
        },
      }),
    );
    return list as EventEnvelope<Payload<S>>[];
  }

  async openTransit(tenantId: string, sealed: string, subjectRef: string, field: string): Promise<unknown> {
    return JSON.parse(await this.transit.openText(sealed, { tenantId, subjectRef, field })) as unknown;
  }

  async count(table: string, where = 'true', parameters: unknown[] = []): Promise<number> {
    const rows: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM "gateway"."${table}" WHERE ${where}`,
      parameters,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Every message body stored in this test's JetStream streams, as text: what NATS keeps on disk. */
  async storedMessages(): Promise<string[]> {
    if (!this.streamPrefix) {
      return [];
    }
    const nc = await connect({ servers: this.env.NATS_URL ?? natsUrl() });
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

  /** Stops the application and its adapters but keeps the database and streams (for a restart). */
  async stop(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) {
      await subscription.stop();
    }
    await this.service.app.close();
    await this.bus.close();
    await this.database.close();
    await this.db.destroy();
  }

  /** Stops, then drops the database and the test's streams. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    if (!this.embedded) {
      const admin = new Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`);
      await admin.end();
    }
    if (this.streamPrefix) {
      const nc = await connect({ servers: natsUrl() });
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
