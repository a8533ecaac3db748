import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';
import { consentProtoPath } from '@trustline/contracts';

/**
 * How the proto becomes JavaScript objects, the same on server and clients:
 * - camelCase field names, which are the contract classes' property names;
 * - `defaults`: proto3 fields without presence read as their zero value ('' / false / 0), whether or not the peer
 *   wrote them, so the contract's validation sees the same object from any client; `optional` fields stay absent;
 * - int64 (history cursors) as JS numbers, as in the contracts.
 */
export const CONSENT_PROTO_OPTIONS: Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: false,
};

export const CONSENT_SERVICE_NAME = 'trustline.consent.v1.ConsentService';

/** trustline.consent.v1.ConsentService, loaded from the proto in @trustline/contracts. */
export function loadConsentServiceDefinition(): ServiceDefinition {
  const definition = loadSync(consentProtoPath(), CONSENT_PROTO_OPTIONS)[CONSENT_SERVICE_NAME];
  if (definition === undefined || !('Check' in definition)) {
    throw new Error(`${CONSENT_SERVICE_NAME} is missing from ${consentProtoPath()}`);
  }
  return definition;
}
