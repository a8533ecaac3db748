import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { TamperedCiphertextError } from '../errors/tampered-ciphertext.error';
import { WrongContextError } from '../errors/wrong-context.error';

/**
 * Transit format v2 (bus payloads), a different version byte and text prefix than field ciphertexts (v1), so neither
 * cipher ever takes the other's output for its own:
 *   [0]          format version (2)
 *   [1..7)       epoch start, ms since 1970 (uint48 BE)
 *   [7..11)      root key version that wrapped the data key (uint32 BE)
 *   [11..13)     wrapped data key length L (uint16 BE)
 *   [13..13+L)   the wrapped data key (the provider's opaque ciphertext)
 *   [h..h+4)     place check: CRC-32 of the place, only to tell "moved" from "altered" (the GCM tag is the protection)
 *   [h+4..h+16)  nonce (96 bits, random per seal)
 *   [h+16..h+32) GCM tag (128 bits)
 *   [h+32..)     ciphertext (same length as the plaintext)
 * with h = 13 + L. AAD = bytes [0..h+4) followed by the encoded place: epoch, wrapped key and place are all bound.
 * Text form: `tl2.` + base64url(bytes [1..)): matches the contracts' `Sealed` pattern.
 */
export const TRANSIT_FORMAT_VERSION = 2;
const EPOCH_OFFSET = 1;
const ROOT_VERSION_OFFSET = 7;
const WRAPPED_LENGTH_OFFSET = 11;
const WRAPPED_OFFSET = 13;
const MAX_WRAPPED_BYTES = 0xffff;
/** Bytes besides the wrapped key and the plaintext. */
export const TRANSIT_FIXED_OVERHEAD = WRAPPED_OFFSET + 4 + 12 + 16;
const TEXT_PREFIX = `tl${TRANSIT_FORMAT_VERSION}.`;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The key part of a transit ciphertext: everything a consumer needs to get the data key (bytes [0..h)). */
export interface TransitHeader {
  readonly epochStart: number;
  readonly rootKeyVersion: number;
  /** A view into the ciphertext. */
  readonly wrapped: Buffer;
  /** h: where the place check starts. */
  readonly keyPartEnd: number;
}

/** Builds the key part [0..h) once per data key; every seal under that key copies it. */
export function transitKeyPart(epochStart: number, rootKeyVersion: number, wrapped: Uint8Array): Buffer {
  if (wrapped.length > MAX_WRAPPED_BYTES) {
    throw new RangeError('wrapped transit key is longer than 65535 bytes');
  }
  const out = Buffer.allocUnsafe(WRAPPED_OFFSET + wrapped.length);
  out[0] = TRANSIT_FORMAT_VERSION;
  out.writeUIntBE(epochStart, EPOCH_OFFSET, 6);
  out.writeUInt32BE(rootKeyVersion, ROOT_VERSION_OFFSET);
  out.writeUInt16BE(wrapped.length, WRAPPED_LENGTH_OFFSET);
  out.set(wrapped, WRAPPED_OFFSET);
  return out;
}

export function sealTransit(key: KeyObject, keyPart: Buffer, plaintext: Uint8Array, place: Buffer): Buffer {
  const checkOffset = keyPart.length;
  const nonceOffset = checkOffset + 4;
  const tagOffset = nonceOffset + 12;
  const bodyOffset = tagOffset + 16;
  const out = Buffer.allocUnsafe(bodyOffset + plaintext.length);
  out.set(keyPart, 0);
  out.writeUInt32BE(crc32(place), checkOffset);
  randomFillSync(out, nonceOffset, 12);
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

/** Checks version and lengths; TamperedCiphertextError for anything that is not a transit ciphertext. */
export function readTransitHeader(ciphertext: Uint8Array, field: string): TransitHeader {
  if (ciphertext.length < TRANSIT_FIXED_OVERHEAD || ciphertext[0] !== TRANSIT_FORMAT_VERSION) {
    throw new TamperedCiphertextError(field);
  }
  const view = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
  const wrappedLength = view.readUInt16BE(WRAPPED_LENGTH_OFFSET);
  const keyPartEnd = WRAPPED_OFFSET + wrappedLength;
  if (wrappedLength === 0 || view.length < keyPartEnd + 32) {
    throw new TamperedCiphertextError(field);
  }
  return {
    epochStart: view.readUIntBE(EPOCH_OFFSET, 6),
    rootKeyVersion: view.readUInt32BE(ROOT_VERSION_OFFSET),
    wrapped: view.subarray(WRAPPED_OFFSET, keyPartEnd),
    keyPartEnd,
  };
}

/** Fails with WrongContextError when the ciphertext was sealed for another place (checked before any key lookup). */
export function assertTransitPlace(ciphertext: Uint8Array, header: TransitHeader, place: Buffer, field: string): void {
  const view = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
  if (view.readUInt32BE(header.keyPartEnd) !== crc32(place)) {
    throw new WrongContextError(field);
  }
}

/** Opens under the unwrapped data key; any failure is TamperedCiphertextError and no partial plaintext escapes. */
export function openTransit(
  key: KeyObject,
  ciphertext: Uint8Array,
  header: TransitHeader,
  place: Buffer,
  field: string,
): Buffer {
  const nonceOffset = header.keyPartEnd + 4;
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

export function transitToText(ciphertext: Uint8Array): string {
  return (
    TEXT_PREFIX +
    Buffer.from(ciphertext.buffer, ciphertext.byteOffset + 1, ciphertext.byteLength - 1).toString('base64url')
  );
}

export function transitFromText(text: string, field: string): Buffer {
  const body = text.startsWith(TEXT_PREFIX) ? text.slice(TEXT_PREFIX.length) : '';
  if (!BASE64URL.test(body)) {
    throw new TamperedCiphertextError(field);
  }
  const decoded = Buffer.from(body, 'base64url');
  // Only the canonical encoding is accepted, so no two texts open alike.
  if (decoded.toString('base64url') !== body) {
    throw new TamperedCiphertextError(field);
  }
  const out = Buffer.allocUnsafe(decoded.length + 1);
  out[0] = TRANSIT_FORMAT_VERSION;
  out.set(decoded, 1);
  return out;
}
