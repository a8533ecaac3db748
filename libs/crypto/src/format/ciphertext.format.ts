import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { TamperedCiphertextError } from '../errors/tampered-ciphertext.error';
import { WrongContextError } from '../errors/wrong-context.error';
import type { SealPlace } from './seal-place';

/**
 * Binary format v1 (bytea), 41 bytes of overhead:
 *   [0]      format version (1)
 *   [1..9)   key id: the subject key generation that sealed it (8 random bytes)
 *   [9..13)  place check: CRC-32 of the place, only to tell "moved" from "altered" (the GCM tag is the protection)
 *   [13..25) nonce (96 bits, random per seal)
 *   [25..41) GCM tag (128 bits)
 *   [41..)   ciphertext (same length as the plaintext)
 * AAD = bytes [0..13) followed by the encoded place, so the header cannot be altered either.
 * Text form: `tl1.` + base64url(bytes [1..)): matches the contracts' `Sealed` pattern.
 */
export const FORMAT_VERSION = 1;
export const KEY_ID_BYTES = 8;
const CHECK_OFFSET = 1 + KEY_ID_BYTES;
const NONCE_OFFSET = CHECK_OFFSET + 4;
const TAG_OFFSET = NONCE_OFFSET + 12;
export const HEADER_BYTES = TAG_OFFSET + 16;
const TEXT_PREFIX = `tl${FORMAT_VERSION}.`;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The place as AAD bytes: NUL-separated parts (a part may not contain NUL, so the encoding is unambiguous). */
export function placeBytes(place: SealPlace): Buffer {
  const parts = [place.tenantId, place.subjectRef, place.field, place.row ?? ''];
  for (const part of parts) {
    if (part.includes('\0')) {
      throw new TypeError(`seal place of ${place.field.replace(/\0/g, '')}: parts must not contain NUL`);
    }
  }
  return Buffer.from(parts.join('\0'), 'utf8');
}

export function sealWithKey(key: KeyObject, keyId: Uint8Array, plaintext: Uint8Array, place: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + plaintext.length);
  out[0] = FORMAT_VERSION;
  out.set(keyId, 1);
  out.writeUInt32BE(crc32(place), CHECK_OFFSET);
  randomFillSync(out, NONCE_OFFSET, 12);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(NONCE_OFFSET, TAG_OFFSET), { authTagLength: 16 });
  cipher.setAAD(out.subarray(0, NONCE_OFFSET));
  cipher.setAAD(place);
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  out.set(body, HEADER_BYTES);
  if (rest.length > 0) {
    out.set(rest, HEADER_BYTES + body.length);
  }
  out.set(cipher.getAuthTag(), TAG_OFFSET);
  return out;
}

/** Checks version and length; returns the key id (a view, not a copy). */
export function readKeyId(ciphertext: Uint8Array, field: string): Uint8Array {
  if (ciphertext.length < HEADER_BYTES || ciphertext[0] !== FORMAT_VERSION) {
    throw new TamperedCiphertextError(field);
  }
  return ciphertext.subarray(1, CHECK_OFFSET);
}

/** Fails with WrongContextError when the ciphertext was sealed for another place (checked before any key lookup). */
export function assertPlace(ciphertext: Uint8Array, place: Buffer, field: string): void {
  readKeyId(ciphertext, field);
  const view = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
  if (view.readUInt32BE(CHECK_OFFSET) !== crc32(place)) {
    throw new WrongContextError(field);
  }
}

/** Opens under `key`; any failure is TamperedCiphertextError and no partial plaintext escapes. */
export function openWithKey(key: KeyObject, ciphertext: Uint8Array, place: Buffer, field: string): Buffer {
  readKeyId(ciphertext, field);
  const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(NONCE_OFFSET, TAG_OFFSET), {
    authTagLength: 16,
  });
  decipher.setAuthTag(ciphertext.subarray(TAG_OFFSET, HEADER_BYTES));
  decipher.setAAD(ciphertext.subarray(0, NONCE_OFFSET));
  decipher.setAAD(place);
  const body = decipher.update(ciphertext.subarray(HEADER_BYTES));
  try {
    decipher.final();
  } catch {
    body.fill(0);
    throw new TamperedCiphertextError(field);
  }
  return body;
}

export function toText(ciphertext: Uint8Array): string {
  return (
    TEXT_PREFIX +
    Buffer.from(ciphertext.buffer, ciphertext.byteOffset + 1, ciphertext.byteLength - 1).toString('base64url')
  );
}

export function fromText(text: string, field: string): Buffer {
  const body = text.startsWith(TEXT_PREFIX) ? text.slice(TEXT_PREFIX.length) : '';
  if (!BASE64URL.test(body)) {
    throw new TamperedCiphertextError(field);
  }
  const decoded = Buffer.from(body, 'base64url');
  // Buffer ignores stray trailing bits: only the canonical encoding is accepted, so no two texts open alike.
  if (decoded.toString('base64url') !== body) {
    throw new TamperedCiphertextError(field);
  }
  const out = Buffer.allocUnsafe(decoded.length + 1);
  out[0] = FORMAT_VERSION;
  out.set(decoded, 1);
  return out;
}
