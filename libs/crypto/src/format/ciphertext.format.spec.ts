import fc from 'fast-check';
import { createSecretKey, randomBytes } from 'node:crypto';
import { OpenFailedError } from '../errors/open-failed.error';
import { TamperedCiphertextError } from '../errors/tampered-ciphertext.error';
import { WrongContextError } from '../errors/wrong-context.error';
import {
  assertPlace,
  fromText,
  HEADER_BYTES,
  openWithKey,
  placeBytes,
  readKeyId,
  sealWithKey,
  toText,
} from './ciphertext.format';
import type { SealPlace } from './seal-place';

const key = createSecretKey(randomBytes(32));
const keyId = randomBytes(8);
const home: SealPlace = { tenantId: 'tenant-a', subjectRef: 'subject-0123456789', field: 'contact.name', row: '1' };

function open(ciphertext: Uint8Array, place: SealPlace): Buffer {
  const aad = placeBytes(place);
  assertPlace(ciphertext, aad, place.field);
  return openWithKey(key, ciphertext, aad, place.field);
}

const places = fc.record({
  tenantId: fc.string({ minLength: 1, maxLength: 20 }).filter((part) => !part.includes('\0')),
  subjectRef: fc.string({ minLength: 1, maxLength: 20 }).filter((part) => !part.includes('\0')),
  field: fc.constantFrom('contact.name', 'contact.phone', 'turn.text'),
  row: fc.option(fc.constantFrom('1', '2', '3'), { nil: undefined }),
});

describe('ciphertext format v1', () => {
  it('opens what it sealed, for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (plaintext) => {
        const sealed = sealWithKey(key, keyId, plaintext, placeBytes(home));
        expect(sealed).toHaveLength(HEADER_BYTES + plaintext.length);
        expect(open(sealed, home).equals(plaintext)).toBe(true);
      }),
    );
  });

  it('opens what it sealed, for arbitrary Unicode through the text form', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), places, (text, place) => {
        const sealed = toText(sealWithKey(key, keyId, Buffer.from(text, 'utf8'), placeBytes(place)));
        expect(sealed).toMatch(/^tl\d+\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/);
        expect(open(fromText(sealed, place.field), place).toString('utf8')).toBe(text);
      }),
    );
  });

  it('never opens a ciphertext with any single bit flipped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.nat(), (plaintext, position) => {
        const sealed = sealWithKey(key, keyId, plaintext, placeBytes(home));
        const bit = position % (sealed.length * 8);
        const flipped = Buffer.from(sealed);
        flipped[bit >> 3] ^= 1 << (bit & 7);
        expect(() => open(flipped, home)).toThrow(OpenFailedError);
      }),
    );
  });

  it('never opens a text ciphertext with one character changed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.nat(63), (plaintext, position, replacement) => {
        const sealed = toText(sealWithKey(key, keyId, plaintext, placeBytes(home)));
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const index = 4 + (position % (sealed.length - 4));
        const changed =
          alphabet[replacement] === sealed[index] ? alphabet[(replacement + 1) % 64] : alphabet[replacement];
        const tampered = sealed.slice(0, index) + changed + sealed.slice(index + 1);
        expect(() => open(fromText(tampered, home.field), home)).toThrow(OpenFailedError);
      }),
    );
  });

  it('refuses a ciphertext moved to another row, column, subject or tenant with WrongContextError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), places, places, (plaintext, from, to) => {
        fc.pre(placeBytes(from).equals(placeBytes(to)) === false);
        const sealed = sealWithKey(key, keyId, plaintext, placeBytes(from));
        expect(() => open(sealed, to)).toThrow(WrongContextError);
      }),
    );
  });

  it('treats truncated input, an unknown format version and a foreign text prefix as tampered', () => {
    const sealed = sealWithKey(key, keyId, Buffer.from('hello'), placeBytes(home));
    expect(() => open(sealed.subarray(0, HEADER_BYTES - 1), home)).toThrow(TamperedCiphertextError);
    const otherVersion = Buffer.from(sealed);
    otherVersion[0] = 2;
    expect(() => readKeyId(otherVersion, 'f')).toThrow(TamperedCiphertextError);
    expect(() => fromText(`tl2.${toText(sealed).slice(4)}`, 'f')).toThrow(TamperedCiphertextError);
    expect(() => fromText('hello', 'f')).toThrow(TamperedCiphertextError);
  });

  it('names the field in errors, never the plaintext', () => {
    const sealed = sealWithKey(key, keyId, Buffer.from('+5511987654321'), placeBytes(home));
    sealed[sealed.length - 1] ^= 1;
    expect(() => open(sealed, home)).toThrow(/contact\.name/);
    expect(() => open(sealed, home)).not.toThrow(/5511987654321/);
  });

  it('rejects a place part containing NUL, which would make the AAD ambiguous', () => {
    expect(() => placeBytes({ ...home, row: 'a\0b' })).toThrow(TypeError);
  });
});
