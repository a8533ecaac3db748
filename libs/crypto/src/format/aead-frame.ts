import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { TamperedCiphertextError } from '../errors/tampered-ciphertext.error';

/**
 * What field (v1) and transit (v2) ciphertexts share after their own key part (bytes [0..k)):
 *   [k..k+4)     place check: CRC-32 of the place, only to tell "moved" from "altered" (the GCM tag is the protection)
 *   [k+4..k+16)  nonce (96 bits, random per seal)
 *   [k+16..k+32) GCM tag (128 bits)
 *   [k+32..)     ciphertext (same length as the plaintext)
 * AAD = bytes [0..k+4) followed by the encoded place, so neither the key part nor the place can be altered.
 */
export const FRAME_OVERHEAD = 4 + 12 + 16;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

// Nonces come from a pool of CSPRNG output refilled 4 KiB at a time (as Node does for randomUUID): one getrandom
// call per 341 seals instead of one per seal, which was a tenth of the webhook edge's CPU. Each 12 bytes are used
// once and the pool is never shared across processes (Node does not fork a running process).
const NONCE_BYTES = 12;
const noncePool = Buffer.allocUnsafe(NONCE_BYTES * 341);
let noncePoolOffset = noncePool.length;

function writeNonce(out: Buffer, offset: number): void {
  if (noncePoolOffset + NONCE_BYTES > noncePool.length) {
    randomFillSync(noncePool);
    noncePoolOffset = 0;
  }
  noncePool.copy(out, offset, noncePoolOffset, noncePoolOffset + NONCE_BYTES);
  noncePoolOffset += NONCE_BYTES;
}

/** Seals `plaintext` behind a key part of `keyPartLength` bytes that `writeKeyPart` fills in place (no copy). */
export function sealFrame(
  key: KeyObject,
  keyPartLength: number,
  writeKeyPart: (out: Buffer) => void,
  plaintext: Uint8Array,
  place: Buffer,
): Buffer {
  const nonceOffset = keyPartLength + 4;
  const tagOffset = nonceOffset + 12;
  const bodyOffset = tagOffset + 16;
  const out = Buffer.allocUnsafe(bodyOffset + plaintext.length);
  writeKeyPart(out);
  out.writeUInt32BE(crc32(place), keyPartLength);
  writeNonce(out, nonceOffset);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(nonceOffset, tagOffset), { authTagLength: 16 });
  cipher.setAAD(out.subarray(0, nonceOffset));
  cipher.setAAD(place);
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  out.set(body, bodyOffset);
  if (rest.length > 0) {
    out.set(rest, bodyOffset + body.length);
  }
  out.set(cipher.getAuthTag(), tagOffset);
  return out;
}

/** Whether the ciphertext was sealed for this place (checked before any key lookup, to report "moved"). */
export function placeMatches(ciphertext: Uint8Array, keyPartLength: number, place: Buffer): boolean {
  const view = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
  return view.readUInt32BE(keyPartLength) === crc32(place);
}

/** Opens under `key`; any failure is TamperedCiphertextError and no partial plaintext escapes. */
export function openFrame(
  key: KeyObject,
  ciphertext: Uint8Array,
  keyPartLength: number,
  place: Buffer,
  field: string,
): Buffer {
  const nonceOffset = keyPartLength + 4;
  const tagOffset = nonceOffset + 12;
  const bodyOffset = tagOffset + 16;
  const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(nonceOffset, tagOffset), {
    authTagLength: 16,
  });
  decipher.setAuthTag(ciphertext.subarray(tagOffset, bodyOffset));
  decipher.setAAD(ciphertext.subarray(0, nonceOffset));
  decipher.setAAD(place);
  const body = decipher.update(ciphertext.subarray(bodyOffset));
  try {
    decipher.final();
  } catch {
    body.fill(0);
    throw new TamperedCiphertextError(field);
  }
  return body;
}

/** Text form: `tl<version>.` + base64url of every byte after the version byte (the contracts' `Sealed`). */
export function frameToText(version: number, ciphertext: Uint8Array): string {
  return `tl${version}.${Buffer.from(ciphertext.buffer, ciphertext.byteOffset + 1, ciphertext.byteLength - 1).toString('base64url')}`;
}

export function frameFromText(version: number, text: string, field: string): Buffer {
  const prefix = `tl${version}.`;
  const body = text.startsWith(prefix) ? text.slice(prefix.length) : '';
  if (!BASE64URL.test(body)) {
    throw new TamperedCiphertextError(field);
  }
  const decoded = Buffer.from(body, 'base64url');
  // Buffer ignores stray trailing bits: only the canonical encoding is accepted, so no two texts open alike.
  if (decoded.toString('base64url') !== body) {
    throw new TamperedCiphertextError(field);
  }
  const out = Buffer.allocUnsafe(decoded.length + 1);
  out[0] = version;
  out.set(decoded, 1);
  return out;
}
