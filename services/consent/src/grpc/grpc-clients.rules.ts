import { isServiceName, type ServiceName } from '@trustline/contracts';

/** A service allowed to call consent over gRPC, and the bearer token it presents. */
export interface GrpcClient {
  readonly caller: ServiceName;
  readonly token: string;
}

/** Shorter tokens are refused at start-up: a guessable token is no authentication. */
export const MIN_TOKEN_LENGTH = 16;

const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/** CONSENT_GRPC_CLIENTS is malformed. The message says where and why, never a token. */
export class GrpcClientsError extends Error {
  override readonly name = 'GrpcClientsError';
}

/**
 * Parses `caller=token,caller2=token2`: each caller a service name, at most once; each token printable ASCII with no
 * spaces, at least MIN_TOKEN_LENGTH long, and used by one caller only (a token identifies its caller).
 */
export function parseGrpcClients(input: string): readonly GrpcClient[] {
  const clients: GrpcClient[] = [];
  const entries = input.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const at = `entry ${index + 1}`;
    const separator = entry.indexOf('=');
    if (separator < 0) {
      throw new GrpcClientsError(`${at}: expected caller=token`);
    }
    const caller = entry.slice(0, separator).trim();
    const token = entry.slice(separator + 1).trim();
    if (!isServiceName(caller)) {
      throw new GrpcClientsError(`${at}: the caller is not a service name`);
    }
    if (token.length < MIN_TOKEN_LENGTH || !TOKEN_PATTERN.test(token)) {
      throw new GrpcClientsError(
        `${at} (${caller}): the token must be at least ${MIN_TOKEN_LENGTH} printable characters without spaces`,
      );
    }
    if (clients.some((client) => client.caller === caller)) {
      throw new GrpcClientsError(`${at}: ${caller} is listed twice`);
    }
    if (clients.some((client) => client.token === token)) {
      throw new GrpcClientsError(`${at} (${caller}): its token is another caller's`);
    }
    clients.push({ caller, token });
  });
  return clients;
}
