import type { KeyObject } from 'node:crypto';
import { TamperedCiphertextError } from '../errors/tampered-ciphertext.error';
import { WrongContextError } from '../errors/wrong-context.error';
import { FRAME_OVERHEAD, frameFromText, frameToText, openFrame, placeMatches, sealFrame } from './aead-frame';
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
export const HEADER_BYTES = CHECK_OFFSET + FRAME_OVERHEAD;

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
  return sealFrame(
    key,
    CHECK_OFFSET,
    (out) => {
      out[0] = FORMAT_VERSION;
      out.set(keyId, 1);
    },
    plaintext,
    place,
  );
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
  if (!placeMatches(ciphertext, CHECK_OFFSET, place)) {
    throw new WrongContextError(field);
  }
}

/** Opens under `key`; any failure is TamperedCiphertextError and no partial plaintext escapes. */
export function openWithKey(key: KeyObject, ciphertext: Uint8Array, place: Buffer, field: string): Buffer {
  readKeyId(ciphertext, field);
  return openFrame(key, ciphertext, CHECK_OFFSET, place, field);
}

export function toText(ciphertext: Uint8Array): string {
  return frameToText(FORMAT_VERSION, ciphertext);
}

export function fromText(text: string, field: string): Buffer {
  return frameFromText(FORMAT_VERSION, text, field);
}
