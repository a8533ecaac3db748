import {
  CreateCryptoTables1700000000100,
  cryptoEntities,
  FieldCipher,
  Keyring,
  LocalKeyProvider,
  SubjectErasedError,
} from '@trustline/crypto';
import { dataSourceOptions, EmbeddedPostgres, type EmbeddedDatabase } from '@trustline/persistence';
import { DataSource } from 'typeorm';
import { randomRootKeys } from './support/keys';
import { uniqueName } from './support/postgres';

/** Standalone mode keeps the keys on the embedded PGlite: storage, first use and shredding work there too. */
describe('key storage on the embedded PGlite (standalone mode)', () => {
  let database: EmbeddedDatabase;
  let dataSource: DataSource;
  const provider = new LocalKeyProvider(randomRootKeys(1), 1);

  beforeAll(async () => {
    database = await EmbeddedPostgres.open(`memory://${uniqueName('crypto')}`);
    dataSource = new DataSource(
      dataSourceOptions({
        schema: 'consent',
        entities: [...cryptoEntities],
        migrations: [CreateCryptoTables1700000000100],
        database,
      }),
    );
    await dataSource.initialize();
    await dataSource.query(`CREATE SCHEMA "consent"`);
    await dataSource.runMigrations();
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.close();
  });

  it('matches the entities exactly: TypeORM finds nothing to change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('stores wrapped keys, converges on one key per subject, and shreds', async () => {
    const left = new FieldCipher(new Keyring(dataSource, provider));
    const right = new FieldCipher(new Keyring(dataSource, provider));
    const place = { tenantId: 'tenant-a', subjectRef: 'subject-pglite-01', field: 'contact.name' };
    const [a, b] = await Promise.all([left.sealText('Ana', place), right.sealText('Ana', place)]);
    const rows: { key_id: Uint8Array }[] = await dataSource.query(`SELECT "key_id" FROM "consent"."subject_key"`);
    expect(rows).toHaveLength(1);
    const fresh = new Keyring(dataSource, provider);
    const reader = new FieldCipher(fresh);
    expect(await reader.openText(a, place)).toBe('Ana');
    expect(await reader.openText(b, place)).toBe('Ana');
    await fresh.shred(place.tenantId, place.subjectRef);
    await expect(reader.openText(a, place)).rejects.toThrow(SubjectErasedError);
    await expect(new FieldCipher(new Keyring(dataSource, provider)).openText(b, place)).rejects.toThrow(
      SubjectErasedError,
    );
  });
});
