import { SEALED_PATTERN } from '@trustline/contracts';
import fc from 'fast-check';
import { createSecretKey, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { OpenFailedError } from '../errors/open-failed.error';
import { TamperedCiphertextError } from '../errors/tampered-ciphertext.error';
import { TransitExpiredError } from '../errors/transit-expired.error';
import { UnknownKeyError } from '../errors/unknown-key.error';
import { WrongContextError } from '../errors/wrong-context.error';
import { openFields, sealFields, type EventSealScope } from '../events/sealed-fields';
import { fromText, openWithKey, placeBytes, sealWithKey, toText } from '../format/ciphertext.format';
import type { SealPlace } from '../format/seal-place';
import { LocalKeyProvider } from '../keys/local-key-provider';
import { TransitCipher, type TransitCipherOptions } from './transit-cipher';
import { TRANSIT_FIXED_OVERHEAD } from './transit.format';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 25, 9, 30);

/** A settable clock shared by the producer and consumer of one test. */
function testClock(start = START): { now: () => number; advance: (ms: number) => void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

/** One service's provider: the same root key bytes as every other service, its own process state. */
function serviceProvider(rootKeys: ReadonlyMap<number, Buffer>, active: number): LocalKeyProvider {
  return new LocalKeyProvider(new Map([...rootKeys].map(([version, key]) => [version, Buffer.from(key)])), active);
}

function twoServices(options: TransitCipherOptions = {}): {
  producer: TransitCipher;
  consumer: TransitCipher;
  producerProvider: LocalKeyProvider;
  consumerProvider: LocalKeyProvider;
} {
  const rootKeys = new Map([[1, randomBytes(32)]]);
  const producerProvider = serviceProvider(rootKeys, 1);
  const consumerProvider = serviceProvider(rootKeys, 1);
  return {
    producer: new TransitCipher(producerProvider, options),
    consumer: new TransitCipher(consumerProvider, options),
    producerProvider,
    consumerProvider,
  };
}

const scope: EventSealScope = {
  tenantId: 'tenant-a',
  subjectRef: 'subject-0123456789',
  context: 'gateway.message.received.v1',
};
const home: SealPlace = { tenantId: 'tenant-a', subjectRef: 'subject-0123456789', field: 'gateway.x.v1/text' };

describe('TransitCipher', () => {
  it('round-trips arbitrary Unicode payload fields from a producer service to a separate consumer service', async () => {
    const { producer, consumer } = twoServices();
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.jsonValue(), async (text, profile) => {
        const payload = { wamid: 'wamid.1', text, profile, sequence: 3 };
        const sealed = await sealFields(producer, payload, ['text', 'profile'], scope);
        expect(sealed.wamid).toBe('wamid.1');
        expect(sealed.text).toMatch(SEALED_PATTERN);
        expect(sealed.text.startsWith('tl2.')).toBe(true);
        const opened = await openFields(consumer, sealed, ['text', 'profile'], scope);
        expect(opened).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips arbitrary bytes in the binary form', async () => {
    const { producer, consumer } = twoServices();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (plaintext) => {
        const sealed = await producer.seal(plaintext, home);
        expect(sealed.length).toBeGreaterThan(TRANSIT_FIXED_OVERHEAD + plaintext.length);
        expect(new Uint8Array(await consumer.open(sealed, home))).toEqual(plaintext);
      }),
      { numRuns: 150 },
    );
  });

  it('never opens a ciphertext with any single bit flipped', async () => {
    const { producer, consumer } = twoServices();
    const sealed = await producer.seal(Buffer.from('Olá, Ana'), home);
    await consumer.open(sealed, home);
    // Every bit: header (epoch, root key version, wrapped key length and bytes), place check, nonce, tag, body.
    for (let bit = 0; bit < sealed.length * 8; bit += 1) {
      const flipped = Buffer.from(sealed);
      flipped[bit >> 3] ^= 1 << (bit & 7);
      await expect(consumer.open(flipped, home)).rejects.toThrow(OpenFailedError);
    }
  });

  it('never opens a text ciphertext with one character changed or cut', async () => {
    const { producer, consumer } = twoServices();
    const sealed = await producer.sealText('Olá', home);
    await fc.assert(
      fc.asyncProperty(fc.nat(sealed.length - 1), fc.constantFrom('A', 'b', '-', '_', '.', '0'), async (at, char) => {
        fc.pre(sealed[at] !== char);
        const changed = sealed.slice(0, at) + char + sealed.slice(at + 1);
        await expect(consumer.openText(changed, home)).rejects.toThrow(OpenFailedError);
      }),
    );
    await expect(consumer.openText(sealed.slice(0, -4), home)).rejects.toThrow(OpenFailedError);
  });

  it('refuses a value moved to another field, subject, tenant or event', async () => {
    const { producer, consumer } = twoServices();
    const payload = { text: 'Olá', profile: 'Ana' };
    const sealed = await sealFields(producer, payload, ['text', 'profile'], scope);
    const moved: [EventSealScope, { text: string }][] = [
      [scope, { text: sealed.profile }],
      [{ ...scope, subjectRef: 'subject-other' }, sealed],
      [{ ...scope, tenantId: 'tenant-b' }, sealed],
      [{ ...scope, context: 'consent.message.admitted.v1' }, sealed],
    ];
    for (const [where, fields] of moved) {
      await expect(openFields(consumer, fields, ['text'], where)).rejects.toThrow(WrongContextError);
    }
  });

  it('reports a moved value with a forged place check as tampered, not opened', async () => {
    const { producer, consumer } = twoServices();
    const sealed = await producer.seal(Buffer.from('Olá'), home);
    const elsewhere = { ...home, tenantId: 'tenant-b' };
    // Rewrite the place check to match the new place: the AAD still does not.
    const checkOffset = 13 + sealed.readUInt16BE(11);
    const forged = Buffer.from(sealed);
    forged.writeUInt32BE(crc32(placeBytes(elsewhere)), checkOffset);
    await expect(consumer.open(forged, elsewhere)).rejects.toThrow(TamperedCiphertextError);
  });

  it('refuses ciphertexts older than maxAgeMs with TransitExpiredError', async () => {
    const clock = testClock();
    const { producer, consumer } = twoServices({ clock: clock.now });
    const sealed = await producer.sealText('Olá', home);
    clock.advance(24 * HOUR);
    expect(await consumer.openText(sealed, home)).toBe('Olá');
    clock.advance(HOUR + 1);
    const expired = consumer.openText(sealed, home);
    await expect(expired).rejects.toThrow(TransitExpiredError);
    await expect(expired).rejects.toThrow(OpenFailedError);
    // The producer that sealed it and still has the key cached refuses it too.
    await expect(producer.openText(sealed, home)).rejects.toThrow(TransitExpiredError);
  });

  it('refuses ciphertexts from more than one epoch in the future with TransitExpiredError', async () => {
    const rootKeys = new Map([[1, randomBytes(32)]]);
    const ahead = new TransitCipher(serviceProvider(rootKeys, 1), { clock: testClock(START + 2 * HOUR).now });
    const slightlyAhead = new TransitCipher(serviceProvider(rootKeys, 1), { clock: testClock(START + HOUR / 2).now });
    const consumer = new TransitCipher(serviceProvider(rootKeys, 1), { clock: testClock().now });
    await expect(consumer.openText(await ahead.sealText('x', home), home)).rejects.toThrow(TransitExpiredError);
    expect(await consumer.openText(await slightlyAhead.sealText('y', home), home)).toBe('y');
  });

  it('honours a shorter window (a shorter stream max age shortens it)', async () => {
    const clock = testClock();
    const { producer, consumer } = twoServices({ clock: clock.now, epochMs: 60_000, maxAgeMs: 5 * 60_000 });
    const sealed = await producer.sealText('Olá', home);
    clock.advance(4 * 60_000);
    expect(await consumer.openText(sealed, home)).toBe('Olá');
    clock.advance(2 * 60_000);
    await expect(consumer.openText(sealed, home)).rejects.toThrow(TransitExpiredError);
  });

  it('opens values sealed under root key v1 after rotation to v2, within maxAge', async () => {
    const clock = testClock();
    const rootKeys = new Map([
      [1, randomBytes(32)],
      [2, randomBytes(32)],
    ]);
    const before = new TransitCipher(serviceProvider(rootKeys, 1), { clock: clock.now });
    const sealedUnderV1 = await before.sealText('antes', home);
    clock.advance(2 * HOUR);
    const afterProducer = new TransitCipher(serviceProvider(rootKeys, 2), { clock: clock.now });
    const afterConsumer = new TransitCipher(serviceProvider(rootKeys, 2), { clock: clock.now });
    const sealedUnderV2 = await afterProducer.sealText('depois', home);
    expect(await afterConsumer.openText(sealedUnderV1, home)).toBe('antes');
    expect(await afterConsumer.openText(sealedUnderV2, home)).toBe('depois');
    // A consumer that no longer holds v1 (retired after the window) cannot open it.
    const retired = new TransitCipher(serviceProvider(new Map([[2, rootKeys.get(2) ?? randomBytes(32)]]), 2), {
      clock: clock.now,
    });
    await expect(retired.openText(sealedUnderV1, home)).rejects.toThrow(UnknownKeyError);
    expect(await retired.openText(sealedUnderV2, home)).toBe('depois');
  });

  it('does not open under other root keys', async () => {
    const { producer } = twoServices();
    const stranger = new TransitCipher(serviceProvider(new Map([[1, randomBytes(32)]]), 1));
    await expect(stranger.openText(await producer.sealText('Olá', home), home)).rejects.toThrow(
      TamperedCiphertextError,
    );
  });

  it('refuses a field ciphertext with a typed error, and a field format reader refuses transit ciphertexts', async () => {
    const { producer, consumer } = twoServices();
    const fieldKey = createSecretKey(randomBytes(32));
    const fieldCiphertext = sealWithKey(fieldKey, randomBytes(8), Buffer.from('Olá'), placeBytes(home));
    await expect(consumer.open(fieldCiphertext, home)).rejects.toThrow(TamperedCiphertextError);
    await expect(consumer.openText(toText(fieldCiphertext), home)).rejects.toThrow(TamperedCiphertextError);
    const transit = await producer.sealText('Olá', home);
    expect(() => fromText(transit, home.field)).toThrow(TamperedCiphertextError);
    const transitBinary = await producer.seal(Buffer.from('Olá'), home);
    expect(() => openWithKey(fieldKey, transitBinary, placeBytes(home), home.field)).toThrow(TamperedCiphertextError);
  });

  it('wraps once per tenant and epoch on the producer, unwraps once per wrapped key on the consumer', async () => {
    const clock = testClock();
    const { producer, consumer, producerProvider, consumerProvider } = twoServices({ clock: clock.now });
    const wrap = jest.spyOn(producerProvider, 'wrap');
    const unwrap = jest.spyOn(consumerProvider, 'unwrap');
    const producerUnwrap = jest.spyOn(producerProvider, 'unwrap');

    // Concurrent first seals for one tenant share one wrap.
    const first = await Promise.all(
      Array.from({ length: 20 }, (_, i) => producer.sealText(`a${i}`, { ...home, subjectRef: `s${i}` })),
    );
    const otherTenant = await producer.sealText('b', { ...home, tenantId: 'tenant-b' });
    expect(wrap).toHaveBeenCalledTimes(2);
    expect(wrap.mock.calls.map(([, context]) => context.tenantId).sort()).toEqual(['tenant-a', 'tenant-b']);

    // Concurrent first opens of one wrapped key share one unwrap.
    const opened = await Promise.all(
      first.map((sealed, i) => consumer.openText(sealed, { ...home, subjectRef: `s${i}` })),
    );
    expect(opened).toEqual(first.map((_, i) => `a${i}`));
    await consumer.openText(otherTenant, { ...home, tenantId: 'tenant-b' });
    expect(unwrap).toHaveBeenCalledTimes(2);

    clock.advance(HOUR);
    const nextEpoch = await producer.sealText('c', home);
    expect(wrap).toHaveBeenCalledTimes(3);
    expect(await consumer.openText(nextEpoch, home)).toBe('c');
    expect(await consumer.openText(first[0], { ...home, subjectRef: 's0' })).toBe('a0');
    expect(unwrap).toHaveBeenCalledTimes(3);
    // The producer opens its own ciphertexts without asking the provider.
    expect(await producer.openText(nextEpoch, home)).toBe('c');
    expect(producerUnwrap).not.toHaveBeenCalled();
  });

  it('does not cache a failed unwrap', async () => {
    const { producer, consumer, consumerProvider } = twoServices();
    const sealed = await producer.sealText('Olá', home);
    const unwrap = jest
      .spyOn(consumerProvider, 'unwrap')
      .mockRejectedValueOnce(new UnknownKeyError('root key version 1'));
    await expect(consumer.openText(sealed, home)).rejects.toThrow(UnknownKeyError);
    expect(await consumer.openText(sealed, home)).toBe('Olá');
    expect(unwrap).toHaveBeenCalledTimes(2);
  });

  it('names the field in errors, never the plaintext or key material', async () => {
    const clock = testClock();
    const { producer, consumer } = twoServices({ clock: clock.now });
    const sealed = await producer.sealText('Ana Secreta', home);
    const failures: unknown[] = [];
    for (const attempt of [
      () => consumer.openText(sealed, { ...home, tenantId: 'tenant-b' }),
      () => consumer.openText(sealed.slice(0, -2), home),
      () => {
        clock.advance(30 * HOUR);
        return consumer.openText(sealed, home);
      },
    ]) {
      failures.push(await attempt().catch((error: unknown) => error));
    }
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(OpenFailedError);
      const message = (failure as Error).message;
      expect(message).toContain(home.field);
      expect(message).not.toContain('Ana');
      expect(message).not.toContain(sealed.slice(4, 20));
    }
  });

  it('rejects non-positive windows', () => {
    const provider = serviceProvider(new Map([[1, randomBytes(32)]]), 1);
    expect(() => new TransitCipher(provider, { epochMs: 0 })).toThrow(RangeError);
    expect(() => new TransitCipher(provider, { maxAgeMs: -1 })).toThrow(RangeError);
  });
});
