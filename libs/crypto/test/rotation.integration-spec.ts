import {
  BlindIndex,
  FieldCipher,
  Keyring,
  LocalKeyProvider,
  rotateWrappedKeys,
  type RotationProgress,
} from '@trustline/crypto';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createCryptoSchema, replicaDataSource } from './support/postgres';

interface Sealed {
  readonly place: { tenantId: string; subjectRef: string; field: string };
  readonly ciphertext: Buffer;
  readonly plaintext: string;
}

describe('root key rotation on PostgreSQL', () => {
  let schema: string;
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let replica: DataSource;
  const v1 = randomBytes(32);
  const v2 = randomBytes(32);

  beforeAll(async () => {
    ({ schema, dataSource, drop } = await createCryptoSchema('crypto_rotation'));
    replica = await replicaDataSource(schema);
  });

  afterAll(async () => {
    await replica?.destroy();
    await drop?.();
  });

  async function sealOne(cipher: FieldCipher, tenantId: string, subjectRef: string, text: string): Promise<Sealed> {
    const place = { tenantId, subjectRef, field: 'turn.text' };
    return { place, plaintext: text, ciphertext: await cipher.seal(Buffer.from(text), place) };
  }

  it('re-wraps tenant and subject keys under the new version while seals and opens continue', async () => {
    const beforeKeyring = new Keyring(dataSource, new LocalKeyProvider(new Map([[1, v1]]), 1));
    const before = new FieldCipher(beforeKeyring);
    const sealed: Sealed[] = [];
    for (let tenant = 0; tenant < 40; tenant += 1) {
      for (let subject = 0; subject < 3; subject += 1) {
        sealed.push(await sealOne(before, `tenant-${tenant}`, `subject-${tenant}-${subject}`, `t${tenant}s${subject}`));
      }
    }
    const indexBefore = await new BlindIndex(beforeKeyring).compute('tenant-0', 'email', 'ana@example.com');

    // Version 2 is rolled out (both versions present, v2 active). Replicas keep working during the rotation with a
    // 1 ms cache, so they re-read tenant and subject rows from the database all the time.
    const rolledOut = new LocalKeyProvider(
      new Map([
        [1, v1],
        [2, v2],
      ]),
      2,
    );
    const traffic = new FieldCipher(new Keyring(replica, rolledOut, { cacheTtlMs: 1 }));
    let stop = false;
    let operations = 0;
    const trafficErrors: unknown[] = [];
    const sealedDuring: Sealed[] = [];
    const run = async (worker: number): Promise<void> => {
      while (!stop) {
        try {
          const old = sealed[(operations * 7 + worker) % sealed.length];
          expect((await traffic.open(old.ciphertext, old.place)).toString()).toBe(old.plaintext);
          const tenantId = `tenant-${(operations + worker) % 45}`;
          sealedDuring.push(await sealOne(traffic, tenantId, `subject-new-${worker}-${operations}`, `n${operations}`));
          operations += 1;
        } catch (error) {
          trafficErrors.push(error);
          return;
        }
      }
    };
    const workers = [0, 1, 2, 3].map((worker) => run(worker));

    const progress: RotationProgress[] = [];
    const rotator = new Keyring(dataSource, rolledOut);
    const first = await rotateWrappedKeys(dataSource, rotator, {
      batchSize: 4,
      onProgress: (step) => progress.push(step),
    });
    const operationsDuringRotation = operations;
    stop = true;
    await Promise.all(workers);
    // Replicas may have created a few subject keys under a tenant version they had just read: a second run (after
    // their cache TTL, here 1 ms) moves those.
    const second = await rotateWrappedKeys(dataSource, rotator, { batchSize: 4 });

    expect(trafficErrors).toEqual([]);
    expect(operationsDuringRotation).toBeGreaterThan(0);
    expect(first.tenantKeys).toBe(40);
    expect(first.subjectKeys).toBeGreaterThanOrEqual(120);
    expect(first.retiredTenantKeys + second.retiredTenantKeys).toBe(40);
    expect(second).toMatchObject({ tenantKeys: 0, remaining: 0, activeVersion: 2 });
    for (const phase of ['tenant-keys', 'subject-keys', 'retire'] as const) {
      const steps = progress.filter((step) => step.phase === phase).map((step) => step.done);
      expect(steps.length).toBeGreaterThan(1);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
    }
    const tenantRows: { root_key_version: number; versions: string }[] = await dataSource.query(
      `SELECT "root_key_version", count(*) AS "versions" FROM "${schema}"."tenant_key" GROUP BY "tenant_id", "root_key_version"`,
    );
    expect(tenantRows.every((row) => row.root_key_version === 2 && Number(row.versions) === 1)).toBe(true);
    const stale: unknown[] = await dataSource.query(
      `SELECT 1 FROM "${schema}"."subject_key" s JOIN "${schema}"."tenant_key" t ` +
        `ON t."tenant_id" = s."tenant_id" AND t."version" = s."tenant_key_version" WHERE t."root_key_version" <> 2`,
    );
    expect(stale).toEqual([]);

    // Version 1 retired: everything sealed before and during the rotation still opens with v2 alone, and blind
    // indexes are unchanged.
    const retiredKeyring = new Keyring(dataSource, new LocalKeyProvider(new Map([[2, v2]]), 2));
    const retired = new FieldCipher(retiredKeyring);
    for (const item of [...sealed, ...sealedDuring]) {
      expect((await retired.open(item.ciphertext, item.place)).toString()).toBe(item.plaintext);
    }
    expect(await new BlindIndex(retiredKeyring).compute('tenant-0', 'email', 'ana@example.com')).toBe(indexBefore);
    expect(await rotateWrappedKeys(dataSource, retiredKeyring)).toEqual({
      tenantKeys: 0,
      subjectKeys: 0,
      retiredTenantKeys: 0,
      remaining: 0,
      activeVersion: 2,
    });
  });
});
