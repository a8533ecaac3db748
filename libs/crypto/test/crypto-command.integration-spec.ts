import {
  FieldCipher,
  Keyring,
  LocalKeyProvider,
  runCryptoCommand,
  SubjectErasedError,
  type CryptoCommandEnv,
} from '@trustline/crypto';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createCryptoSchema, TEST_URL } from './support/postgres';

describe('crypto operator commands on PostgreSQL', () => {
  let schema: string;
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let dir: string;
  const v1 = randomBytes(32);
  const v2 = randomBytes(32);

  function env(rootKeys: string): CryptoCommandEnv {
    return {
      NODE_ENV: 'production',
      DATA_DIR: dir,
      DATABASE_URL: TEST_URL,
      DB_POOL_MAX: 2,
      DB_SSL_MODE: 'disable',
      DB_STATEMENT_TIMEOUT_MS: 30_000,
      CRYPTO_ROOT_KEYS: rootKeys,
      CRYPTO_KEY_CACHE_TTL_MS: 60_000,
      CRYPTO_KEY_CACHE_MAX: 100,
    };
  }

  async function run(args: string[], rootKeys: string): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await runCryptoCommand(args, env(rootKeys), (line) => lines.push(line));
    return { code, lines };
  }

  beforeAll(async () => {
    ({ schema, dataSource, drop } = await createCryptoSchema('crypto_command'));
    dir = await mkdtemp(join(tmpdir(), 'crypto-command-'));
  });

  afterAll(async () => {
    await drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('rotates with progress, exports the shred list and re-applies it after a restore', async () => {
    const keyring = new Keyring(dataSource, new LocalKeyProvider(new Map([[1, v1]]), 1));
    const cipher = new FieldCipher(keyring);
    const places = Array.from({ length: 6 }, (_, index) => ({
      tenantId: `tenant-${index % 3}`,
      subjectRef: `subject-command-${index}`,
      field: 'contact.name',
    }));
    const sealed = await Promise.all(places.map((place) => cipher.sealText(`name ${place.subjectRef}`, place)));
    const both = `v1:${v1.toString('base64')},v2:${v2.toString('base64')}`;

    const rotated = await run(['rotate', '--schema', schema, '--batch-size', '2'], both);
    expect(rotated.code).toBe(0);
    expect(rotated.lines).toEqual(
      expect.arrayContaining(['tenant-keys: 2/3', 'tenant-keys: 3/3', 'subject-keys: 6/6', 'retire: 3/3']),
    );
    expect(JSON.parse(rotated.lines[rotated.lines.length - 1])).toEqual({
      tenantKeys: 3,
      subjectKeys: 6,
      retiredTenantKeys: 3,
      remaining: 0,
      activeVersion: 2,
    });

    const keys = await dataSource.query(
      `SELECT * FROM "${schema}"."subject_key" WHERE "subject_ref" = 'subject-command-0'`,
    );
    const v2Only = new LocalKeyProvider(new Map([[2, v2]]), 2);
    await new Keyring(dataSource, v2Only).shred(places[0].tenantId, places[0].subjectRef);
    const exported = await run(['export-shred-list', '--schema', schema], both);
    expect(exported.code).toBe(0);
    expect(exported.lines).toHaveLength(1);
    expect(JSON.parse(exported.lines[0])).toMatchObject({ tenantId: 'tenant-0', subjectRef: 'subject-command-0' });
    const file = join(dir, 'shred-list.jsonl');
    await writeFile(file, exported.lines.join('\n') + '\n');

    // Simulated restore of the key row and loss of the shred list, then the command re-applies the exported list.
    await dataSource.query(`DELETE FROM "${schema}"."shred_list"`);
    await dataSource.query(
      `INSERT INTO "${schema}"."subject_key" SELECT * FROM jsonb_populate_recordset(NULL::"${schema}"."subject_key", $1)`,
      [
        JSON.stringify(
          (keys as Record<string, unknown>[]).map((row) =>
            Object.fromEntries(
              Object.entries(row).map(([name, value]) => [
                name,
                Buffer.isBuffer(value) ? `\\x${value.toString('hex')}` : value,
              ]),
            ),
          ),
        ),
      ],
    );
    const reapplied = await run(
      ['reapply-shred-list', '--schema', schema, '--file', file],
      `v2:${v2.toString('base64')}`,
    );
    expect(reapplied).toEqual({ code: 0, lines: [JSON.stringify({ recorded: 1, destroyed: 1 })] });
    const reader = new FieldCipher(new Keyring(dataSource, v2Only));
    await expect(reader.openText(sealed[0], places[0])).rejects.toThrow(SubjectErasedError);
    expect(await reader.openText(sealed[1], places[1])).toBe('name subject-command-1');
  });

  it('prints its usage for an unknown command or a missing schema', async () => {
    expect((await run(['rotate'], '')).code).toBe(2);
    expect((await run(['shred-everything', '--schema', schema], '')).code).toBe(2);
  });
});
