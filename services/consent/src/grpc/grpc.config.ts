import { contracts } from '@trustline/contracts';
import type { PlatformConfig } from '@trustline/service-kit';
import { EnvError, host, makeExactValidator, num, port, str, type CleanedEnv } from 'envalid';
import { NATS_TWIN } from './grpc-access.rules';
import { GrpcClientsError, parseGrpcClients, type GrpcClient } from './grpc-clients.rules';

const grpcClients = makeExactValidator<readonly GrpcClient[]>((input) => {
  try {
    return parseGrpcClients(input);
  } catch (error) {
    // The config loader reports "must be a valid caller-token list" and drops the detail after the colon; the
    // detail never holds a token either way.
    throw new EnvError(
      `Invalid caller-token list: ${error instanceof GrpcClientsError ? error.message : 'unreadable'}`,
    );
  }
});

/** One token per service that may call, for development only: outside it, set CONSENT_GRPC_CLIENTS. */
const DEVELOPMENT_CLIENTS = parseGrpcClients(
  [...new Set(Object.values(NATS_TWIN).flatMap((subject) => contracts[subject].publishers))]
    .map((caller) => `${caller}=dev-grpc-${caller}-token`)
    .join(','),
);

/**
 * consent's gRPC edge (merged into consent's own variables). Without the TLS files the server runs with insecure
 * credentials (and says so at start): acceptable only inside a mesh that provides mTLS itself.
 */
export const consentGrpcEnv = {
  CONSENT_GRPC_PORT: port({ default: 50051, desc: 'gRPC port of the consent internal API' }),
  CONSENT_GRPC_HOST: host({
    default: undefined,
    desc: 'Interface the gRPC server binds; HTTP_HOST when unset (loopback by default, 0.0.0.0 in containers)',
  }),
  CONSENT_GRPC_CLIENTS: grpcClients({
    devDefault: DEVELOPMENT_CLIENTS,
    desc: 'gRPC callers and their bearer tokens: caller=token,… (service names; tokens ≥ 16 characters). Secret',
  }),
  CONSENT_GRPC_SHUTDOWN_GRACE_MS: num({
    default: 10_000,
    desc: 'At shutdown, how long gRPC calls in flight may take to finish before they are cut off',
  }),
  CONSENT_GRPC_TLS_CERT_FILE: str({
    default: undefined,
    desc: 'PEM certificate chain of the gRPC server; enables TLS',
  }),
  CONSENT_GRPC_TLS_KEY_FILE: str({ default: undefined, desc: 'PEM private key of the gRPC server certificate' }),
  CONSENT_GRPC_TLS_CA_FILE: str({
    default: undefined,
    desc: 'PEM CA bundle client certificates must chain to; enables mutual TLS (needs the certificate and key)',
  }),
};

/** What the gRPC edge reads from consent's validated config. */
export type ConsentGrpcConfig = Pick<CleanedEnv<typeof consentGrpcEnv>, keyof typeof consentGrpcEnv> &
  Pick<PlatformConfig, 'HTTP_HOST'>;
