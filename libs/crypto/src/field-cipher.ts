import type { Sealed } from '@trustline/contracts';
import type { TextSealer } from './events/text-sealer';
import {
  assertPlace,
  fromText,
  openWithKey,
  placeBytes,
  readKeyId,
  sealWithKey,
  toText,
} from './format/ciphertext.format';
import type { SealPlace } from './format/seal-place';
import type { Keyring } from './keyring/keyring';

/**
 * Seals and opens personal-data fields under the subject's data key: AES-256-GCM, random 96-bit nonce, the place
 * bound as AAD. Binary form for `bytea` columns, text form (`tl1.…`, the contracts' `Sealed`) for text columns. Its
 * keys live in the owning service's schema: events read by other services use TransitCipher instead.
 */
export class FieldCipher implements TextSealer {
  constructor(private readonly keyring: Keyring) {}

  seal(plaintext: Uint8Array, place: SealPlace): Promise<Buffer> {
    try {
      const aad = placeBytes(place);
      // A warm cache seals synchronously: no extra promise hop on the hot path.
      const cached = this.keyring.cachedKey(place.tenantId, place.subjectRef);
      if (cached !== undefined) {
        return Promise.resolve(sealWithKey(cached.key, cached.keyId, plaintext, aad));
      }
      return this.keyring
        .sealingKey(place.tenantId, place.subjectRef)
        .then(({ keyId, key }) => sealWithKey(key, keyId, plaintext, aad));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('seal failed'));
    }
  }

  /**
   * WrongContextError (sealed for another place), SubjectErasedError (key shredded), UnknownKeyError or
   * TamperedCiphertextError; never partial plaintext.
   */
  open(ciphertext: Uint8Array, place: SealPlace): Promise<Buffer> {
    try {
      const aad = placeBytes(place);
      assertPlace(ciphertext, aad, place.field);
      const keyId = readKeyId(ciphertext, place.field);
      const cached = this.keyring.cachedKey(place.tenantId, place.subjectRef);
      if (cached !== undefined && cached.keyId.equals(keyId)) {
        return Promise.resolve(openWithKey(cached.key, ciphertext, aad, place.field));
      }
      return this.keyring
        .openingKey(place.tenantId, place.subjectRef, keyId, place.field)
        .then((key) => openWithKey(key, ciphertext, aad, place.field));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('open failed'));
    }
  }

  async sealText(text: string, place: SealPlace): Promise<Sealed> {
    return toText(await this.seal(Buffer.from(text, 'utf8'), place)) as Sealed;
  }

  async openText(sealed: string, place: SealPlace): Promise<string> {
    return (await this.open(fromText(sealed, place.field), place)).toString('utf8');
  }
}
