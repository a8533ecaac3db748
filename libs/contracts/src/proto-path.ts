import { join } from 'node:path';

/**
 * The .proto files ship beside the compiled code: this file sits in libs/contracts/src (jest, tsc) or in
 * dist/libs/contracts/src (node, after tools/build.mjs copied libs/contracts/proto to dist/libs/contracts/proto), so
 * the protos are one level up from here in both trees.
 */
export const PROTO_ROOT = join(__dirname, '..', 'proto');

/** consent's internal API as a gRPC service (trustline.consent.v1.ConsentService). */
export function consentProtoPath(): string {
  return join(PROTO_ROOT, 'trustline', 'consent', 'v1', 'consent.proto');
}
