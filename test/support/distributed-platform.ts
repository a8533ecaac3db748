import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { freePort, PlatformProcess, portVariable, SERVICE_NAMES, servicePorts, waitForReady } from './platform-process';

/** Where one distributed run's services meet on NATS: its own stream names and wire-subject prefix. */
export interface NatsPlace {
  readonly url: string;
  readonly streamPrefix: string;
  readonly subjectPrefix: string;
}

/**
 * `npm run start:distributed` for one test file: six processes and the simulator on the local PostgreSQL (a fresh
 * database, a role per service) and NATS JetStream (fresh stream names and subject prefix), so that runs never share
 * state. `dispose` removes all of it, including the processes the launcher started.
 */
export class DistributedPlatform {
  private constructor(
    readonly process: PlatformProcess,
    readonly ports: Readonly<Record<string, string>>,
    readonly simulatorUrl: string,
    readonly database: string,
    readonly nats: NatsPlace,
  ) {}

  /** Starts the launcher; `ready` waits for the services. */
  static async launch(env: NodeJS.ProcessEnv = {}): Promise<DistributedPlatform> {
    const suffix = randomBytes(4).toString('hex');
    const database = `trustline_e2e_${suffix}`;
    const nats: NatsPlace = {
      url: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
      streamPrefix: `TLE2E_${suffix}`,
      subjectPrefix: `e2e${suffix}.`,
    };
    const ports = await servicePorts();
    const simulatorPort = await freePort();
    const platform = new PlatformProcess('tools/start-distributed.mjs', {
      ...ports,
      SIMULATOR_PORT: String(simulatorPort),
      DATABASE_ADMIN_URL: process.env.TEST_DATABASE_URL,
      TRUSTLINE_DATABASE: database,
      NATS_URL: nats.url,
      NATS_STREAM_PREFIX: nats.streamPrefix,
      NATS_SUBJECT_PREFIX: nats.subjectPrefix,
      LAUNCHER_TRACE: '1',
      ...env,
    });
    return new DistributedPlatform(platform, ports, `http://127.0.0.1:${simulatorPort}`, database, nats);
  }

  /** Launches and waits until every service and the simulator answer. */
  static async start(env: NodeJS.ProcessEnv = {}): Promise<DistributedPlatform> {
    const platform = await DistributedPlatform.launch(env);
    try {
      await platform.ready();
      await waitForReady(`${platform.simulatorUrl}/_sim/health`, platform.process);
    } catch (error) {
      await platform.dispose();
      throw error;
    }
    return platform;
  }

  /** Each service's readiness answer, by service name, once all are ready. */
  async ready(): Promise<Record<string, unknown>> {
    const answers: Record<string, unknown> = {};
    for (const name of SERVICE_NAMES) {
      answers[name] = await waitForReady(`${this.serviceUrl(name)}/health/ready`, this.process);
    }
    return answers;
  }

  serviceUrl(service: (typeof SERVICE_NAMES)[number]): string {
    return `http://127.0.0.1:${this.ports[portVariable(service)]}`;
  }

  /** The platform's database, as the superuser. */
  databaseUrl(): string {
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    url.pathname = `/${this.database}`;
    return url.href;
  }

  /** The clean stop (SIGTERM to the launcher, which stops the services): how the launcher exited. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.process.signal('SIGTERM');
    return this.process.exited;
  }

  /** Kills whatever still runs, drops the database and deletes the run's streams. */
  async dispose(): Promise<void> {
    await this.process.kill();
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    const nc = await connect({ servers: this.nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const names: string[] = [];
      for await (const name of jsm.streams.names()) {
        if (name.startsWith(`${this.nats.streamPrefix}_`)) {
          names.push(name);
        }
      }
      for (const name of names) {
        await jsm.streams.delete(name);
      }
    } finally {
      await nc.close();
    }
  }
}
