import { createHash } from 'node:crypto';

/** Whose fence: one per contact of one tenant. */
export interface ContactKey {
  readonly tenantId: string;
  readonly contactRef: string;
}

// Namespaces the hash so that no other user of advisory locks on the same database (e.g. the migration lock, keyed by
// hashtext of its own name) can pick the same 64-bit key by design.
const NAMESPACE = 'trustline.gateway.send-fence.v1';

/**
 * The contact's fence key: the first 8 bytes of SHA-256(namespace, tenantId, contactRef) as a signed 64-bit integer,
 * the argument type of PostgreSQL's advisory-lock functions. The parts are length-prefixed so that no two different
 * (tenantId, contactRef) pairs hash the same input. Two contacts sharing a key (odds ~2^-64 per pair) only make
 * each other's sends and hold changes wait for one another: never a missed fence.
 */
export function sendFenceKey({ tenantId, contactRef }: ContactKey): bigint {
  const digest = createHash('sha256')
    .update(NAMESPACE)
    .update(lengthPrefixed(tenantId))
    .update(lengthPrefixed(contactRef))
    .digest();
  return digest.readBigInt64BE(0);
}

/**
 * How `pg_locks` shows an advisory lock taken with one bigint key: `classid` = the high 32 bits, `objid` = the low
 * 32 bits (both as unsigned oids), `objsubid` = 1.
 */
export function advisoryLockParts(key: bigint): { readonly classId: number; readonly objId: number } {
  const unsigned = BigInt.asUintN(64, key);
  return { classId: Number(unsigned >> 32n), objId: Number(unsigned & 0xffff_ffffn) };
}

/**
 * The arguments of the contact's INTENT lock, PostgreSQL's two-int4 advisory lock made of the key's two halves: a
 * lock of its own (pg_locks objsubid 2, not 1), that a hold change holds while it waits for the sends in flight, so
 * that no new send to the contact starts meanwhile.
 */
export function intentLockArgs(key: bigint): readonly [number, number] {
  const { classId, objId } = advisoryLockParts(key);
  return [classId | 0, objId | 0];
}

/** The distinct keys of `contacts`, ascending: the one order in which every process takes several of them. */
export function sortedFenceKeys(contacts: readonly ContactKey[]): bigint[] {
  return [...new Set(contacts.map(sendFenceKey))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function lengthPrefixed(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
