import { credsAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { ContractRegistry } from '@trustline/contracts';
import { readFileSync } from 'node:fs';
import { createInProcessBus } from '../in-process/in-process.bus';
import { createJetStreamBus } from '../jetstream/jetstream.bus';
import type { MessageBus } from '../message-bus';
import type { MessagingLogger } from '../messaging-logger';
import type { NatsEnv } from './nats.env';

/** TLS and credentials from the env; TLS is on as soon as any of its files is given. */
export function natsConnectionOptions(env: NatsEnv): Omit<NodeConnectionOptions, 'servers' | 'name'> {
  const options: Omit<NodeConnectionOptions, 'servers' | 'name'> = {};
  if (env.NATS_TLS_CA || env.NATS_TLS_CERT || env.NATS_TLS_KEY) {
    options.tls = {
      ...(env.NATS_TLS_CA ? { caFile: env.NATS_TLS_CA } : {}),
      ...(env.NATS_TLS_CERT ? { certFile: env.NATS_TLS_CERT } : {}),
      ...(env.NATS_TLS_KEY ? { keyFile: env.NATS_TLS_KEY } : {}),
    };
  }
  if (env.NATS_CREDS) {
    const path = env.NATS_CREDS;
    options.authenticator = credsAuthenticator(() => readFileSync(path));
  } else if (env.NATS_USER) {
    options.user = env.NATS_USER;
    options.pass = env.NATS_PASSWORD ?? '';
  }
  return options;
}

/** JetStream when NATS_URL is set (distributed mode), else the in-process bus (standalone mode). */
export function createBusFromEnv<R extends ContractRegistry>(
  registry: R,
  env: NatsEnv,
  options: { readonly name: string; readonly logger?: MessagingLogger },
): MessageBus<R> {
  if (!env.NATS_URL) {
    return createInProcessBus(registry, { ...(options.logger ? { logger: options.logger } : {}) });
  }
  return createJetStreamBus(registry, {
    name: options.name,
    servers: env.NATS_URL.split(',').map((server) => server.trim()),
    streamPrefix: env.NATS_STREAM_PREFIX,
    subjectPrefix: env.NATS_SUBJECT_PREFIX,
    streamMaxAgeMs: env.NATS_STREAM_MAX_AGE_MS,
    replicas: env.NATS_STREAM_REPLICAS,
    ...(env.NATS_PUBLISH_TIMEOUT_MS === undefined ? {} : { publishTimeoutMs: env.NATS_PUBLISH_TIMEOUT_MS }),
    connectionOptions: natsConnectionOptions(env),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
