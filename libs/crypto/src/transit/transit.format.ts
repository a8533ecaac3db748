import type { KeyObject } from 'node:crypto';
import { TamperedCiphertextError } from '../errors/tampered-ciphertext.error';
import { WrongContextError } from '../errors/wrong-context.error';
import { FRAME_OVERHEAD, frameFromText, frameToText, openFrame, placeMatches, sealFrame } from '../format/aead-frame';

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
export const TRANSIT_FIXED_OVERHEAD = WRAPPED_OFFSET + FRAME_OVERHEAD;

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
  return sealFrame(key, keyPart.length, (out) => out.set(keyPart, 0), plaintext, place);
}

/** Checks version and lengths; TamperedCiphertextError for anything that is not a transit ciphertext. */
export function readTransitHeader(ciphertext: Uint8Array, field: string): TransitHeader {
  if (ciphertext.length < TRANSIT_FIXED_OVERHEAD || ciphertext[0] !== TRANSIT_FORMAT_VERSION) {
    throw new TamperedCiphertextError(field);
  }
  const view = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
  const wrappedLength = view.readUInt16BE(WRAPPED_LENGTH_OFFSET);
  const keyPartEnd = WRAPPED_OFFSET + wrappedLength;
  if (wrappedLength === 0 || view.length < keyPartEnd + FRAME_OVERHEAD) {
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
  if (!placeMatches(ciphertext, header.keyPartEnd, place)) {
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
  return openFrame(key, ciphertext, header.keyPartEnd, place, field);
}

export function transitToText(ciphertext: Uint8Array): string {
  return frameToText(TRANSIT_FORMAT_VERSION, ciphertext);
}

export function transitFromText(text: string, field: string): Buffer {
  return frameFromText(TRANSIT_FORMAT_VERSION, text, field);
}
