import type { Contracts, EventEnvelope, EventSubject, Payload } from '@trustline/contracts';
import type { KeyProvider, TransitCipher } from '@trustline/crypto';
import { gatewayService } from '@trustline/gateway-service';
import type { MessageBus } from '@trustline/messaging';
import type { Database } from '@trustline/persistence';
import type { RunningService } from '@trustline/service-kit';
import { ServiceHarness, testDatabaseUrl, testNatsUrl } from '@trustline/service-kit/testing';
import type { DataSource } from 'typeorm';

export { freePort } from '@trustline/service-kit/testing';
export const adminUrl = testDatabaseUrl;
export const natsUrl = testNatsUrl;

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
 * The gateway on the generic ServiceHarness (real PostgreSQL or embedded PGlite, real JetStream or the memory bus),
 * with the sender pointed at a Cloud API and the other services' side of the bus named `bus`.
 */
export class GatewayHarness {
  private constructor(readonly harness: ServiceHarness) {}

  static async start(options: GatewayOptions = {}): Promise<GatewayHarness> {
    return new GatewayHarness(
      await ServiceHarness.start(gatewayService, {
        ...(options.bus === undefined ? {} : { bus: options.bus }),
        ...(options.database === undefined ? {} : { database: options.database }),
        ...(options.natsServers === undefined ? {} : { natsUrl: options.natsServers }),
        ...(options.restartOf ? { restartOf: options.restartOf.harness } : {}),
        env: {
          WHATSAPP_API_BASE_URL: options.apiBaseUrl ?? 'http://127.0.0.1:9',
          WHATSAPP_SEND_TIMEOUT_MS: '2000',
          ...options.env,
        },
      }),
    );
  }

  get service(): RunningService {
    return this.harness.service;
  }

  /** The other services' side of the bus. */
  get bus(): MessageBus<Contracts> {
    return this.harness.peers;
  }

  get database(): Database {
    return this.harness.database;
  }

  get db(): DataSource {
    return this.harness.db;
  }

  get transit(): TransitCipher {
    return this.harness.transit;
  }

  get keyProvider(): KeyProvider {
    return this.harness.keyProvider;
  }

  get env(): Readonly<Record<string, string>> {
    return this.harness.env;
  }

  get url(): string {
    return this.harness.url;
  }

  /** Records every event of `subject` from now on (as the consumer `audit`, so it never steals the gateway's). */
  observe<S extends EventSubject>(subject: S): Promise<EventEnvelope<Payload<S>>[]> {
    return this.harness.observe(subject);
  }

  openTransit(tenantId: string, sealed: string, subjectRef: string, field: string): Promise<unknown> {
    return this.harness.openTransit(tenantId, sealed, subjectRef, field);
  }

  count(table: string, where?: string, parameters?: unknown[]): Promise<number> {
    return this.harness.count(table, where, parameters);
  }

  storedMessages(): Promise<string[]> {
    return this.harness.storedMessages();
  }

  stop(): Promise<void> {
    return this.harness.stop();
  }

  destroy(): Promise<void> {
    return this.harness.destroy();
  }
}
