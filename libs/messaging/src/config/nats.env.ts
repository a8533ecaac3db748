import { makeValidator, num, str } from 'envalid';

const NATS_SCHEMES = new Set(['nats:', 'tls:', 'ws:', 'wss:']);

/** One or more NATS server URLs, comma-separated (nats://, tls://, ws:// or wss://). */
const natsServers = makeValidator<string>((input) => {
  const servers = input.split(',').map((server) => server.trim());
  for (const server of servers) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new Error('Invalid NATS server list input');
    }
    if (!NATS_SCHEMES.has(url.protocol) || !url.hostname) {
      throw new Error('Invalid NATS server list input');
    }
  }
  return servers.join(',');
});

/**
 * The messaging lib's slice of a service's env spec (`cleanEnv(process.env, { ...natsEnv, ... })`). No NATS_URL
 * means standalone: the in-process bus.
 */
export const natsEnv = {
  NATS_URL: natsServers({
    default: undefined,
    desc: 'NATS server URL(s), comma-separated; absent = in-process bus (standalone mode)',
    example: 'nats://nats:4222',
  }),
  NATS_STREAM_PREFIX: str({ default: 'TRUSTLINE', desc: 'JetStream stream names are <prefix>_<OWNER>' }),
  NATS_SUBJECT_PREFIX: str({ default: '', desc: 'Prepended to every wire subject (isolates tenants of a cluster)' }),
  NATS_STREAM_MAX_AGE_MS: num({
    default: 86_400_000,
    desc: 'How long streams keep events; never longer than the erasure promise',
  }),
  NATS_STREAM_REPLICAS: num({ default: 1, desc: 'Stream replicas in a NATS cluster' }),
  NATS_PUBLISH_TIMEOUT_MS: num({
    default: 10_000,
    desc: 'How long a publish waits for JetStream to acknowledge it before failing (the webhook then answers 503)',
  }),
  NATS_TLS_CA: str({ default: undefined, desc: 'CA bundle file to verify the NATS server' }),
  NATS_TLS_CERT: str({ default: undefined, desc: 'Client certificate file (mutual TLS)' }),
  NATS_TLS_KEY: str({ default: undefined, desc: 'Client key file (mutual TLS)' }),
  NATS_USER: str({ default: undefined }),
  NATS_PASSWORD: str({ default: undefined }),
  NATS_CREDS: str({ default: undefined, desc: 'NATS .creds file (JWT + nkey seed)' }),
};

/** The validated values createBusFromEnv reads (what cleanEnv returns for natsEnv). */
export interface NatsEnv {
  readonly NATS_URL?: string | undefined;
  readonly NATS_STREAM_PREFIX: string;
  readonly NATS_SUBJECT_PREFIX: string;
  readonly NATS_STREAM_MAX_AGE_MS: number;
  readonly NATS_STREAM_REPLICAS: number;
  readonly NATS_PUBLISH_TIMEOUT_MS?: number;
  readonly NATS_TLS_CA?: string | undefined;
  readonly NATS_TLS_CERT?: string | undefined;
  readonly NATS_TLS_KEY?: string | undefined;
  readonly NATS_USER?: string | undefined;
  readonly NATS_PASSWORD?: string | undefined;
  readonly NATS_CREDS?: string | undefined;
}
