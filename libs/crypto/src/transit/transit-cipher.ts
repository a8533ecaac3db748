import type { Sealed } from '@trustline/contracts';
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { TransitExpiredError } from '../errors/transit-expired.error';
import type { TextSealer } from '../events/text-sealer';
import { placeBytes } from '../format/ciphertext.format';
import type { SealPlace } from '../format/seal-place';
import { ExpiringLru } from '../keyring/expiring-lru';
import type { KeyProvider } from '../keys/key-provider';
import {
  assertTransitPlace,
  openTransit,
  readTransitHeader,
  sealTransit,
  transitFromText,
  transitKeyPart,
  transitToText,
} from './transit.format';

export interface TransitCipherOptions {
  /** How long one transit data key seals (default 1 h): one provider wrap per tenant per epoch. */
  readonly epochMs?: number;
  /**
   * How long after its epoch started a ciphertext still opens (default 25 h = the stream max age of 24 h + one
   * epoch). Older ones fail with TransitExpiredError: the bound on how long an erased subject's events stay readable.
   */
  readonly maxAgeMs?: number;
  /** Most data keys cached per side (default 10,000): sealing keys by tenant and epoch, opening keys by wrapped key. */
  readonly cacheMax?: number;
  /** Milliseconds since 1970 (default Date.now); for tests. */
  readonly clock?: () => number;
}

interface SealingKey {
  readonly key: KeyObject;
  /** Version, epoch, root key version and wrapped key: bytes [0..h) of every ciphertext sealed under this key. */
  readonly keyPart: Buffer;
}

const SEPARATOR = '\0';
const HOUR_MS = 3_600_000;

/**
 * Seals bus payload fields so that any service holding the same root keys (KeyProvider) can open them, and no
 * service's database is needed: envelope encryption with data-key caching, as in the AWS Encryption SDK. A producer
 * makes one random data key per tenant and epoch, has the provider wrap it once, and puts the wrapped key in every
 * ciphertext; a consumer unwraps each distinct wrapped key once and caches it. AAD binds tenant, subject, field
 * (`<event subject>/<field>`), epoch and wrapped key. Ciphertexts older than `maxAgeMs` are refused
 * (TransitExpiredError). FieldCipher, not this, is for data at rest in the owning service.
 */
export class TransitCipher implements TextSealer {
  private readonly epochMs: number;
  private readonly maxAgeMs: number;
  private readonly clock: () => number;
  /** By tenant + epoch start. */
  private readonly sealingKeys: ExpiringLru<SealingKey>;
  /** By the key part (latin1): version, epoch, root key version and wrapped key bytes. */
  private readonly openingKeys: ExpiringLru<KeyObject>;
  /** The last key used on each side: a hot producer or consumer skips the map lookup (and the key string). */
  private lastSealing: { tenantId: string; epochStart: number; sealingKey: SealingKey } | undefined;
  private lastOpening: { keyPart: Buffer; key: KeyObject } | undefined;
  private readonly pendingSealing = new Map<string, Promise<SealingKey>>();
  private readonly pendingOpening = new Map<string, Promise<KeyObject>>();

  constructor(
    private readonly provider: KeyProvider,
    options: TransitCipherOptions = {},
  ) {
    this.epochMs = options.epochMs ?? HOUR_MS;
    this.maxAgeMs = options.maxAgeMs ?? 25 * HOUR_MS;
    if (!(this.epochMs > 0) || !(this.maxAgeMs > 0)) {
      throw new RangeError('TransitCipher epochMs and maxAgeMs must be positive');
    }
    this.clock = options.clock ?? Date.now;
    const max = options.cacheMax ?? 10_000;
    this.sealingKeys = new ExpiringLru(max, this.epochMs, this.clock);
    this.openingKeys = new ExpiringLru(max, this.maxAgeMs, this.clock);
  }

  seal(plaintext: Uint8Array, place: SealPlace): Promise<Buffer> {
    try {
      const aad = placeBytes(place);
      const epochStart = Math.floor(this.clock() / this.epochMs) * this.epochMs;
      // A warm cache seals synchronously: no extra promise hop on the hot path.
      const last = this.lastSealing;
      if (last !== undefined && last.epochStart === epochStart && last.tenantId === place.tenantId) {
        return Promise.resolve(sealTransit(last.sealingKey.key, last.sealingKey.keyPart, plaintext, aad));
      }
      const cacheKey = place.tenantId + SEPARATOR + String(epochStart);
      const cached = this.sealingKeys.get(cacheKey);
      if (cached !== undefined) {
        this.lastSealing = { tenantId: place.tenantId, epochStart, sealingKey: cached };
        return Promise.resolve(sealTransit(cached.key, cached.keyPart, plaintext, aad));
      }
      let loading = this.pendingSealing.get(cacheKey);
      if (loading === undefined) {
        loading = this.newSealingKey(place.tenantId, epochStart, cacheKey).finally(() =>
          this.pendingSealing.delete(cacheKey),
        );
        this.pendingSealing.set(cacheKey, loading);
      }
      return loading.then(({ key, keyPart }) => sealTransit(key, keyPart, plaintext, aad));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('seal failed'));
    }
  }

  /**
   * WrongContextError (sealed for another place), TransitExpiredError (outside the transit window), UnknownKeyError
   * (root key version not configured) or TamperedCiphertextError (altered, or not a transit ciphertext).
   */
  open(ciphertext: Uint8Array, place: SealPlace): Promise<Buffer> {
    try {
      const aad = placeBytes(place);
      const header = readTransitHeader(ciphertext, place.field);
      assertTransitPlace(ciphertext, header, aad, place.field);
      const age = this.clock() - header.epochStart;
      if (age > this.maxAgeMs || age < -this.epochMs) {
        throw new TransitExpiredError(place.field);
      }
      const keyPart = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, header.keyPartEnd);
      const last = this.lastOpening;
      if (last !== undefined && last.keyPart.equals(keyPart)) {
        return Promise.resolve(openTransit(last.key, ciphertext, header, aad, place.field));
      }
      const cacheKey = keyPart.toString('latin1');
      const cached = this.openingKeys.get(cacheKey);
      if (cached !== undefined) {
        this.lastOpening = { keyPart: Buffer.from(keyPart), key: cached };
        return Promise.resolve(openTransit(cached, ciphertext, header, aad, place.field));
      }
      let loading = this.pendingOpening.get(cacheKey);
      if (loading === undefined) {
        // Copied: the pending unwrap must not hold on to (or see changes of) the caller's buffer.
        const wrapped = Buffer.from(header.wrapped);
        loading = this.unwrap(place.tenantId, header.epochStart, header.rootKeyVersion, wrapped, cacheKey).finally(() =>
          this.pendingOpening.delete(cacheKey),
        );
        this.pendingOpening.set(cacheKey, loading);
      }
      return loading.then((key) => openTransit(key, ciphertext, header, aad, place.field));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('open failed'));
    }
  }

  async sealText(text: string, place: SealPlace): Promise<Sealed> {
    return transitToText(await this.seal(Buffer.from(text, 'utf8'), place)) as Sealed;
  }

  async openText(sealed: string, place: SealPlace): Promise<string> {
    return (await this.open(transitFromText(sealed, place.field), place)).toString('utf8');
  }

  /** Drops every cached data key (e.g. after a root key was withdrawn). */
  evictAll(): void {
    this.sealingKeys.clear();
    this.openingKeys.clear();
    this.lastSealing = undefined;
    this.lastOpening = undefined;
  }

  private async newSealingKey(tenantId: string, epochStart: number, cacheKey: string): Promise<SealingKey> {
    const bytes = randomBytes(32);
    const wrapped = await this.provider.wrap(bytes, { tenantId, purpose: transitPurpose(epochStart) });
    const key = createSecretKey(bytes);
    bytes.fill(0);
    const sealingKey: SealingKey = {
      key,
      keyPart: transitKeyPart(epochStart, wrapped.rootKeyVersion, wrapped.ciphertext),
    };
    this.sealingKeys.set(cacheKey, sealingKey);
    // This process opens its own ciphertexts without a provider round trip.
    this.openingKeys.set(sealingKey.keyPart.toString('latin1'), key);
    return sealingKey;
  }

  private async unwrap(
    tenantId: string,
    epochStart: number,
    rootKeyVersion: number,
    wrapped: Buffer,
    cacheKey: string,
  ): Promise<KeyObject> {
    const bytes = await this.provider.unwrap(
      { rootKeyVersion, ciphertext: wrapped },
      { tenantId, purpose: transitPurpose(epochStart) },
    );
    const key = createSecretKey(bytes);
    bytes.fill(0);
    this.openingKeys.set(cacheKey, key);
    return key;
  }
}

/** The wrap context binds the data key to its tenant and epoch: a wrapped key relabelled with another one fails. */
function transitPurpose(epochStart: number): string {
  return `transit/${epochStart}`;
}
