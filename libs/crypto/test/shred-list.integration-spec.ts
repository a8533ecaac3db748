import {
  exportShredList,
  FieldCipher,
  Keyring,
  LocalKeyProvider,
  reapplyShredList,
  SubjectErasedError,
  type ShreddedKey,
} from '@trustline/crypto';
import type { DataSource } from 'typeorm';
import { randomRootKeys } from './support/keys';
import { createCryptoSchema, replicaDataSource } from './support/postgres';

describe('shred list and restores on PostgreSQL', () => {
  let schema: string;
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let replica: DataSource;
  const provider = new LocalKeyProvider(randomRootKeys(1), 1);

  beforeAll(async () => {
    ({ schema, dataSource, drop } = await createCryptoSchema('crypto_shred_list'));
    replica = await replicaDataSource(schema);
  });

  afterAll(async () => {
    await replica?.destroy();
    await drop?.();
  });

  /** A "backup": the key tables' rows as they are now. */
  async function backup(): Promise<Record<string, unknown[]>> {
    const tables: Record<string, unknown[]> = {};
    for (const table of ['tenant_key', 'subject_key', 'shred_list']) {
      tables[table] = await dataSource.query(`SELECT * FROM "${schema}"."${table}"`);
    }
    return tables;
  }

  /** A "restore": the key tables put back exactly as they were in `snapshot`. */
  async function restore(snapshot: Record<string, unknown[]>): Promise<void> {
    await dataSource.transaction(async (manager) => {
      // Children first on the way out, parents first on the way in (subject_key references tenant_key).
      for (const table of ['shred_list', 'subject_key', 'tenant_key']) {
        await manager.query(`DELETE FROM "${schema}"."${table}"`);
      }
      for (const table of ['tenant_key', 'subject_key', 'shred_list']) {
        await manager.query(
          `INSERT INTO "${schema}"."${table}" SELECT * FROM jsonb_populate_recordset(NULL::"${schema}"."${table}", $1)`,
          [JSON.stringify(snapshot[table].map((row) => encodeBytea(row as Record<string, unknown>)))],
        );
      }
    });
  }

  it('destroys again, after a restore, the keys shredded since the backup', async () => {
    const journal: ShreddedKey[] = [];
    const keyring = new Keyring(dataSource, provider, {
      onShredded: (record) => {
        journal.push(record);
        return Promise.resolve();
      },
    });
    const cipher = new FieldCipher(keyring);
    const places = ['erased-subject-01', 'erased-subject-02', 'kept-subject-0003'].map((subjectRef) => ({
      tenantId: 'tenant-restore',
      subjectRef,
      field: 'contact.name',
    }));
    const sealed = await Promise.all(places.map((place) => cipher.sealText(`name of ${place.subjectRef}`, place)));
    const snapshot = await backup();

    await keyring.shred('tenant-restore', 'erased-subject-01');
    await keyring.shred('tenant-restore', 'erased-subject-02');
    const shredList = await exportShredList(dataSource);
    expect(shredList.map((record) => record.subjectRef)).toEqual(['erased-subject-01', 'erased-subject-02']);
    expect(journal.map((record) => record.keyId).sort()).toEqual(shredList.map((record) => record.keyId).sort());
    expect(JSON.stringify(shredList)).not.toContain('name of');

    await restore(snapshot);
    // The restore brought the keys back, and a process that never heard of the erasure would open the data.
    const unaware = new FieldCipher(new Keyring(replica, provider));
    expect(await unaware.openText(sealed[0], places[0])).toBe('name of erased-subject-01');

    const reapplied = await reapplyShredList(dataSource, shredList, keyring);
    expect(reapplied).toEqual({ recorded: 2, destroyed: 2 });
    const afterRestart = new FieldCipher(new Keyring(replica, provider));
    await expect(afterRestart.openText(sealed[0], places[0])).rejects.toThrow(SubjectErasedError);
    await expect(afterRestart.openText(sealed[1], places[1])).rejects.toThrow(SubjectErasedError);
    expect(await afterRestart.openText(sealed[2], places[2])).toBe('name of kept-subject-0003');
    expect(await reapplyShredList(dataSource, shredList, keyring)).toEqual({ recorded: 0, destroyed: 0 });
  });

  it('destroys a restored key on first use when the shred list itself survived', async () => {
    const keyring = new Keyring(dataSource, provider);
    const cipher = new FieldCipher(keyring);
    const place = { tenantId: 'tenant-survived', subjectRef: 'erased-subject-03', field: 'contact.name' };
    const sealed = await cipher.sealText('x', place);
    const keys = await dataSource.query(
      `SELECT * FROM "${schema}"."subject_key" WHERE "tenant_id" = 'tenant-survived'`,
    );
    await keyring.shred(place.tenantId, place.subjectRef);
    await restore({ ...(await backup()), subject_key: [...(await backup()).subject_key, ...keys] });
    await expect(new FieldCipher(new Keyring(replica, provider)).openText(sealed, place)).rejects.toThrow(
      SubjectErasedError,
    );
    const left: unknown[] = await dataSource.query(
      `SELECT 1 FROM "${schema}"."subject_key" WHERE "tenant_id" = 'tenant-survived'`,
    );
    expect(left).toEqual([]);
  });

  it('stops another replica from using a shredded key once its cache entry expires', async () => {
    const keyring = new Keyring(dataSource, provider);
    const peer = new FieldCipher(new Keyring(replica, provider, { cacheTtlMs: 50 }));
    const place = { tenantId: 'tenant-ttl', subjectRef: 'erased-subject-04', field: 'contact.name' };
    const sealed = await new FieldCipher(keyring).sealText('x', place);
    expect(await peer.openText(sealed, place)).toBe('x');
    await keyring.shred(place.tenantId, place.subjectRef);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(peer.openText(sealed, place)).rejects.toThrow(SubjectErasedError);
  });
});

/** Row → JSON for jsonb_populate_recordset: bytea as `\x…` hex text. */
function encodeBytea(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([name, value]) => [name, Buffer.isBuffer(value) ? `\\x${value.toString('hex')}` : value]),
  );
}
