import { contracts, type ServiceName } from '@trustline/contracts';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GrpcClient } from './grpc-clients.rules';

/** The operations of trustline.consent.v1.ConsentService. */
export type ConsentGrpcOperation = 'check' | 'history' | 'record';

/** Each operation is allowed to the callers allowed to publish its NATS twin: one list, two transports. */
export const NATS_TWIN = {
  check: 'consent.rpc.check.v1',
  history: 'consent.rpc.history.v1',
  record: 'consent.rpc.record.v1',
} as const satisfies Record<ConsentGrpcOperation, keyof typeof contracts>;

export type AccessDecision =
  | { readonly granted: true; readonly caller: ServiceName }
  | { readonly granted: false; readonly reason: 'unauthenticated' }
  | { readonly granted: false; readonly reason: 'permission-denied'; readonly caller: ServiceName };

// RFC 6750: the scheme name is case-insensitive.
const BEARER = /^bearer ([\x21-\x7e]+)$/i;

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Default-deny access to the gRPC API. The caller is whoever the bearer token belongs to: tokens are compared as
 * SHA-256 digests (equal length whatever was presented) with timingSafeEqual, against every configured token
 * without stopping at a match, so the time taken says nothing about which token, or how much of one, was right.
 */
export class GrpcAccessPolicy {
  private readonly digests: readonly { readonly caller: ServiceName; readonly digest: Buffer }[];

  constructor(clients: readonly GrpcClient[]) {
    this.digests = clients.map((client) => ({ caller: client.caller, digest: digest(client.token) }));
  }

  /** `authorization` holds every value of the `authorization` metadata key; exactly one bearer token is accepted. */
  decide(authorization: readonly string[], operation: ConsentGrpcOperation): AccessDecision {
    const caller = authorization.length === 1 ? this.identify(authorization[0]) : undefined;
    if (caller === undefined) {
      return { granted: false, reason: 'unauthenticated' };
    }
    const publishers: readonly ServiceName[] = contracts[NATS_TWIN[operation]].publishers;
    return publishers.includes(caller)
      ? { granted: true, caller }
      : { granted: false, reason: 'permission-denied', caller };
  }

  private identify(header: string): ServiceName | undefined {
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      return undefined;
    }
    const presented = digest(token);
    let caller: ServiceName | undefined;
    for (const client of this.digests) {
      if (timingSafeEqual(presented, client.digest)) {
        caller = client.caller;
      }
    }
    return caller;
  }
}
