import { Server, ServerCredentials } from '@grpc/grpc-js';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectServiceConfig } from '@trustline/service-kit';
import { readFile } from 'node:fs/promises';
import { loadConsentServiceDefinition } from './consent-grpc.definition';
import { ConsentGrpcHandler } from './consent-grpc.handler';
import type { ConsentGrpcConfig } from './grpc.config';

/** The largest request is a Record of a few hundred bytes: anything near this is not a consent request. */
const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * consent's gRPC server (trustline.consent.v1.ConsentService), started with the app and drained with it.
 *
 * It drains in `beforeApplicationShutdown`, the phase in which the NATS request/reply subscriptions stop too: calls
 * in flight finish while the database is still open (TypeORM closes it in `onApplicationShutdown`). Calls still
 * running after CONSENT_GRPC_SHUTDOWN_GRACE_MS are cut off.
 */
@Injectable()
export class ConsentGrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ConsentGrpcServer.name);
  private server: Server | undefined;
  private port: number | undefined;

  constructor(
    @InjectServiceConfig() private readonly config: ConsentGrpcConfig,
    private readonly handler: ConsentGrpcHandler,
  ) {}

  /** The port the server listens on (the one the OS chose when CONSENT_GRPC_PORT is 0). */
  get boundPort(): number {
    if (this.port === undefined) {
      throw new Error('the consent gRPC server is not listening');
    }
    return this.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { credentials, security } = await serverCredentials(this.config);
    const server = new Server({ 'grpc.max_receive_message_length': MAX_REQUEST_BYTES });
    server.addService(loadConsentServiceDefinition(), this.handler.implementation());
    const host = this.config.CONSENT_GRPC_HOST ?? this.config.HTTP_HOST;
    const address = `${host.includes(':') ? `[${host}]` : host}:${this.config.CONSENT_GRPC_PORT}`;
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
    if (security === 'insecure') {
      this.logger.warn(
        'consent gRPC runs WITHOUT TLS (insecure credentials): set CONSENT_GRPC_TLS_CERT_FILE and ' +
          'CONSENT_GRPC_TLS_KEY_FILE unless a mesh encrypts the traffic',
      );
    }
    this.logger.log(`consent gRPC listening on ${host}:${this.port} (${security})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    const drained = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.config.CONSENT_GRPC_SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!drained) {
      this.logger.warn(
        `consent gRPC calls still running after ${this.config.CONSENT_GRPC_SHUTDOWN_GRACE_MS} ms: cut off`,
      );
      server.forceShutdown();
    }
    this.server = undefined;
    this.port = undefined;
  }

  /** A shutdown that skipped the drain (an app closed before it bootstrapped completely) still frees the port. */
  onApplicationShutdown(): void {
    this.server?.forceShutdown();
    this.server = undefined;
    this.port = undefined;
  }
}

type Security = 'insecure' | 'TLS' | 'mutual TLS';

async function serverCredentials(
  config: ConsentGrpcConfig,
): Promise<{ credentials: ServerCredentials; security: Security }> {
  const { CONSENT_GRPC_TLS_CERT_FILE: certFile, CONSENT_GRPC_TLS_KEY_FILE: keyFile } = config;
  const caFile = config.CONSENT_GRPC_TLS_CA_FILE;
  if (certFile === undefined && keyFile === undefined) {
    if (caFile !== undefined) {
      throw new Error('CONSENT_GRPC_TLS_CA_FILE needs CONSENT_GRPC_TLS_CERT_FILE and CONSENT_GRPC_TLS_KEY_FILE');
    }
    return { credentials: ServerCredentials.createInsecure(), security: 'insecure' };
  }
  if (certFile === undefined || keyFile === undefined) {
    throw new Error('CONSENT_GRPC_TLS_CERT_FILE and CONSENT_GRPC_TLS_KEY_FILE go together');
  }
  const [cert_chain, private_key, ca] = await Promise.all([
    readFile(certFile),
    readFile(keyFile),
    caFile === undefined ? Promise.resolve(null) : readFile(caFile),
  ]);
  // With a CA, a client must present a certificate chaining to it (checkClientCertificate): mutual TLS.
  return {
    credentials: ServerCredentials.createSsl(ca, [{ cert_chain, private_key }], ca !== null),
    security: ca === null ? 'TLS' : 'mutual TLS',
  };
}
