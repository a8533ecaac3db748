import { SUBJECT_REF_PATTERN } from '@trustline/contracts';
import {
  BlindIndex,
  FieldCipher,
  Keyring,
  LocalKeyProvider,
  openFields,
  sealFields,
  SubjectErasedError,
  TamperedCiphertextError,
  TransitCipher,
  UnknownKeyError,
  WrongContextError,
  type SealPlace,
} from '@trustline/crypto';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { randomRootKeys } from './support/keys';
import { createCryptoSchema, replicaDataSource } from './support/postgres';

describe('keyring on PostgreSQL', () => {
  let schema: string;
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let replica: DataSource;
  let provider: LocalKeyProvider;
  let keyring: Keyring;
  let cipher: FieldCipher;
  let subjects = 0;

  function nextSubject(): string {
    subjects += 1;
    return `subject-${randomBytes(6).toString('hex')}-${subjects}`;
  }

  beforeAll(async () => {
    ({ schema, dataSource, drop } = await createCryptoSchema('crypto_keyring'));
    replica = await replicaDataSource(schema);
    provider = new LocalKeyProvider(randomRootKeys(1), 1);
    keyring = new Keyring(dataSource, provider);
    cipher = new FieldCipher(keyring);
  });

  afterAll(async () => {
    await replica?.destroy();
    await drop?.();
  });

  it('matches the entities exactly: TypeORM finds nothing to change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('stores one wrapped key per tenant and per subject, never the key in clear', async () => {
    const subjectRef = nextSubject();
    const place: SealPlace = { tenantId: 'tenant-store', subjectRef, field: 'contact.name' };
    await cipher.seal(Buffer.from('Ana'), place);
    const { key, keyId } = await keyring.sealingKey('tenant-store', subjectRef);
    const rows: { key_id: Buffer; wrapped: Buffer }[] = await dataSource.query(
      `SELECT "key_id", "wrapped" FROM "${schema}"."subject_key" WHERE "tenant_id" = $1 AND "subject_ref" = $2`,
      ['tenant-store', subjectRef],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].key_id.equals(keyId)).toBe(true);
    expect(rows[0].wrapped.includes(key.export())).toBe(false);
    const tenants: { root_key_version: number }[] = await dataSource.query(
      `SELECT "root_key_version" FROM "${schema}"."tenant_key" WHERE "tenant_id" = 'tenant-store'`,
    );
    expect(tenants).toEqual([{ root_key_version: 1 }]);
    // A new keyring (another process start) unwraps the stored key: same key id, data still opens.
    const restarted = new FieldCipher(new Keyring(replica, provider));
    const sealed = await cipher.seal(Buffer.from('Ana'), place);
    expect((await restarted.open(sealed, place)).toString()).toBe('Ana');
  });

  it('opens what it sealed, for arbitrary bytes and Unicode', async () => {
    const subjectRef = nextSubject();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.string({ unit: 'grapheme' }), async (bytes, text) => {
        const place = { tenantId: 'tenant-prop', subjectRef, field: 'turn.body', row: 'r1' };
        expect((await cipher.open(await cipher.seal(bytes, place), place)).equals(bytes)).toBe(true);
        expect(await cipher.openText(await cipher.sealText(text, place), place)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a ciphertext moved to another row, column, subject or tenant', async () => {
    const subjectRef = nextSubject();
    const other = nextSubject();
    const home: SealPlace = { tenantId: 'tenant-move', subjectRef, field: 'contact.name', row: 'row-1' };
    const sealed = await cipher.seal(Buffer.from('Ana'), home);
    for (const elsewhere of [
      { ...home, row: 'row-2' },
      { ...home, field: 'contact.email' },
      { ...home, subjectRef: other },
      { ...home, tenantId: 'tenant-other' },
    ]) {
      await expect(cipher.open(sealed, elsewhere)).rejects.toThrow(WrongContextError);
    }
  });

  it('after shred, every ciphertext of the subject fails with SubjectErasedError, cached keys included', async () => {
    const peer = new Keyring(replica, provider);
    const peerCipher = new FieldCipher(peer);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 256 }), { minLength: 1, maxLength: 8 }),
        async (plaintexts) => {
          const subjectRef = nextSubject();
          const places = plaintexts.map((_, index) => ({
            tenantId: 'tenant-shred',
            subjectRef,
            field: 'turn.text',
            row: String(index),
          }));
          const sealed = await Promise.all(plaintexts.map((plaintext, index) => cipher.seal(plaintext, places[index])));
          // Both processes hold the key in cache before the shred.
          for (const [index, ciphertext] of sealed.entries()) {
            await peerCipher.open(ciphertext, places[index]);
          }
          expect(await keyring.shred('tenant-shred', subjectRef)).toBe(1);
          peer.evictSubject('tenant-shred', subjectRef);
          for (const [index, ciphertext] of sealed.entries()) {
            await expect(cipher.open(ciphertext, places[index])).rejects.toThrow(SubjectErasedError);
            await expect(peerCipher.open(ciphertext, places[index])).rejects.toThrow(SubjectErasedError);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('gives a returning contact a new key that cannot open the erased data', async () => {
    const subjectRef = nextSubject();
    const place = { tenantId: 'tenant-return', subjectRef, field: 'contact.name' };
    const before = await cipher.sealText('old', place);
    await keyring.shred('tenant-return', subjectRef);
    expect(await keyring.shred('tenant-return', subjectRef)).toBe(0);
    const after = await cipher.sealText('new', place);
    expect(await cipher.openText(after, place)).toBe('new');
    await expect(cipher.openText(before, place)).rejects.toThrow(SubjectErasedError);
  });

  it('tells a key that never existed here from an erased one', async () => {
    const place = { tenantId: 'tenant-unknown', subjectRef: nextSubject(), field: 'contact.name' };
    const foreign = new FieldCipher(new Keyring(replica, new LocalKeyProvider(randomRootKeys(1), 1)));
    const elsewhere = await foreign.seal(Buffer.from('x'), place);
    await dataSource.query(`DELETE FROM "${schema}"."subject_key" WHERE "subject_ref" = $1`, [place.subjectRef]);
    await expect(cipher.open(elsewhere, place)).rejects.toThrow(UnknownKeyError);
  });

  it('converges on one key when two replicas use a subject for the first time at once', async () => {
    const left = new FieldCipher(new Keyring(dataSource, provider));
    const right = new FieldCipher(new Keyring(replica, provider));
    const refs = Array.from({ length: 20 }, () => nextSubject());
    const sealed = await Promise.all(
      refs.flatMap((subjectRef) =>
        [left, right, left, right].map(async (side, index) => {
          const place = { tenantId: 'tenant-race', subjectRef, field: 'contact.name', row: String(index) };
          return { place, ciphertext: await side.seal(Buffer.from(`value-${index}`), place) };
        }),
      ),
    );
    const counts: { subject_ref: string; keys: string }[] = await dataSource.query(
      `SELECT "subject_ref", count(*) AS "keys" FROM "${schema}"."subject_key" WHERE "tenant_id" = 'tenant-race' ` +
        `GROUP BY "subject_ref"`,
    );
    expect(counts).toHaveLength(refs.length);
    expect(counts.every((row) => Number(row.keys) === 1)).toBe(true);
    const fresh = new FieldCipher(new Keyring(dataSource, provider));
    for (const { place, ciphertext } of sealed) {
      expect((await fresh.open(ciphertext, place)).toString()).toBe(`value-${place.row}`);
    }
  });

  it('seals the personal fields of an event payload as Sealed strings and opens them back', async () => {
    const scope = { tenantId: 'tenant-event', subjectRef: nextSubject(), context: 'gateway.message.received.v1' };
    const payload = { wamid: 'wamid.1', text: 'Olá, quero marcar às 15h', profile: { name: 'Ana' }, sequence: 3 };
    const sealed = await sealFields(cipher, payload, ['text', 'profile'], scope);
    expect(sealed.wamid).toBe('wamid.1');
    expect(sealed.text).toMatch(/^tl1\.[A-Za-z0-9_-]+$/);
    expect(JSON.stringify(sealed)).not.toContain('Ana');
    expect(await openFields(cipher, sealed, ['text', 'profile'], scope)).toEqual(payload);
    await expect(openFields(cipher, { ...sealed, text: sealed.profile }, ['text'], scope)).rejects.toThrow(
      WrongContextError,
    );
    await keyring.shred(scope.tenantId, scope.subjectRef);
    await expect(openFields(cipher, sealed, ['text'], scope)).rejects.toThrow(SubjectErasedError);
  });

  it('never confuses field and transit ciphertexts: each cipher refuses the other one with a typed error', async () => {
    const transit = new TransitCipher(provider);
    const place: SealPlace = { tenantId: 'tenant-transit', subjectRef: nextSubject(), field: 'gateway.x.v1/text' };
    const fieldSealed = await cipher.sealText('Olá', place);
    const transitSealed = await transit.sealText('Olá', place);
    await expect(transit.openText(fieldSealed, place)).rejects.toThrow(TamperedCiphertextError);
    await expect(transit.open(await cipher.seal(Buffer.from('Olá'), place), place)).rejects.toThrow(
      TamperedCiphertextError,
    );
    await expect(cipher.openText(transitSealed, place)).rejects.toThrow(TamperedCiphertextError);
    await expect(cipher.open(await transit.seal(Buffer.from('Olá'), place), place)).rejects.toThrow(
      TamperedCiphertextError,
    );
    expect(await cipher.openText(fieldSealed, place)).toBe('Olá');
    expect(await transit.openText(transitSealed, place)).toBe('Olá');
  });

  it('computes a per-tenant blind index usable as a subject reference', async () => {
    const index = new BlindIndex(keyring);
    const a = await index.compute('tenant-index', 'phone', '+55 11 98765-4321');
    expect(a).toMatch(SUBJECT_REF_PATTERN);
    expect(await index.compute('tenant-index', 'phone', '(11) 98765-4321', 'BR')).toBe(a);
    expect(
      await new BlindIndex(new Keyring(replica, provider)).compute('tenant-index', 'phone', '+5511987654321'),
    ).toBe(a);
    expect(await index.compute('tenant-index-2', 'phone', '+5511987654321')).not.toBe(a);
    // A WhatsApp wa_id is the same person as the phone number: same index; a BSUID has its own domain.
    expect(await index.compute('tenant-index', 'wa-id', '5511987654321')).toBe(a);
    expect(await index.compute('tenant-index', 'bsuid', 'BR.5511987654321')).not.toBe(a);
    expect(await index.compute('tenant-index', 'email', 'Ana@Example.com')).toBe(
      await index.compute('tenant-index', 'email', 'ana@example.com'),
    );
  });
});
