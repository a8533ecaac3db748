import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CryptoEnv } from '../crypto.env';
import { RootKeyConfigError } from '../errors/root-key-config.error';
import { UnknownKeyError } from '../errors/unknown-key.error';
import { localKeyProviderFromEnv, parseRootKeys } from './root-keys';

const v1 = randomBytes(32).toString('base64');
const v2 = randomBytes(32).toString('base64');

describe('root keys', () => {
  let dataDir: string;
  const warnings: string[] = [];
  const logger = { info: () => undefined, warn: (_obj: object, msg?: string) => warnings.push(msg ?? '') };

  function env(overrides: Partial<CryptoEnv>): CryptoEnv {
    return {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      CRYPTO_KEY_CACHE_TTL_MS: 60_000,
      CRYPTO_KEY_CACHE_MAX: 10,
      ...overrides,
    };
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'crypto-root-keys-'));
    warnings.length = 0;
  });

  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('parses several versions, separated by commas or new lines', () => {
    const keys = parseRootKeys(`v1:${v1},\n v2:${v2}\n`, 'CRYPTO_ROOT_KEYS');
    expect([...keys.keys()]).toEqual([1, 2]);
    expect(keys.get(2)?.toString('base64')).toBe(v2);
  });

  it.each([
    ['empty', ''],
    ['no version', v1],
    ['short key', `v1:${randomBytes(16).toString('base64')}`],
    ['version 0', `v0:${v1}`],
    ['duplicate version', `v1:${v1},v1:${v2}`],
  ])('rejects a malformed value (%s) naming the variable, never the value', (_case, value) => {
    let error: unknown;
    try {
      parseRootKeys(value, 'CRYPTO_ROOT_KEYS');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RootKeyConfigError);
    expect((error as Error).message).toMatch(/^CRYPTO_ROOT_KEYS: /);
    expect((error as Error).message).not.toContain(v1.slice(0, 12));
    expect((error as Error).message).not.toContain(v2.slice(0, 12));
  });

  it('makes the highest version active unless told otherwise', async () => {
    expect((await localKeyProviderFromEnv(env({ CRYPTO_ROOT_KEYS: `v1:${v1},v2:${v2}` }))).activeVersion).toBe(2);
    const pinned = await localKeyProviderFromEnv(
      env({ CRYPTO_ROOT_KEYS: `v1:${v1},v2:${v2}`, CRYPTO_ACTIVE_ROOT_KEY_VERSION: 1 }),
    );
    expect(pinned.activeVersion).toBe(1);
    await expect(
      localKeyProviderFromEnv(env({ CRYPTO_ROOT_KEYS: `v1:${v1}`, CRYPTO_ACTIVE_ROOT_KEY_VERSION: 3 })),
    ).rejects.toThrow(/^CRYPTO_ACTIVE_ROOT_KEY_VERSION: /);
  });

  it('logs versions, never key material', async () => {
    const logged: string[] = [];
    const capture = {
      info: (obj: object, msg?: string) => logged.push(JSON.stringify([obj, msg])),
      warn: (obj: object, msg?: string) => logged.push(JSON.stringify([obj, msg])),
    };
    await localKeyProviderFromEnv(env({ CRYPTO_ROOT_KEYS: `v1:${v1},v2:${v2}` }), capture);
    await localKeyProviderFromEnv(env({ NODE_ENV: 'development' }), capture);
    const generated = (await readFile(join(dataDir, 'root-keys'), 'utf8')).trim().slice(3);
    expect(logged.length).toBeGreaterThan(0);
    for (const secret of [v1, v2, generated]) {
      expect(logged.join('\n')).not.toContain(secret.slice(0, 16));
    }
  });

  it('reads the keys from a file', async () => {
    const file = join(dataDir, 'secret');
    await writeFile(file, `v3:${v1}\n`);
    const provider = await localKeyProviderFromEnv(env({ CRYPTO_ROOT_KEYS_FILE: file }));
    expect(provider.versions).toEqual([3]);
    await expect(localKeyProviderFromEnv(env({ CRYPTO_ROOT_KEYS_FILE: join(dataDir, 'missing') }))).rejects.toThrow(
      'CRYPTO_ROOT_KEYS_FILE: cannot read the file',
    );
  });

  it('stops start-up outside development when no root key is configured', async () => {
    for (const nodeEnv of ['production', 'test']) {
      await expect(localKeyProviderFromEnv(env({ NODE_ENV: nodeEnv }))).rejects.toThrow(RootKeyConfigError);
    }
    await expect(stat(join(dataDir, 'root-keys'))).rejects.toThrow();
  });

  it('generates a development key once, mode 0600, with a warning, and reuses it', async () => {
    const first = await localKeyProviderFromEnv(env({ NODE_ENV: 'development' }), logger);
    const path = join(dataDir, 'root-keys');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([expect.stringContaining('generated a development root key')]);
    const content = await readFile(path, 'utf8');
    const second = await localKeyProviderFromEnv(env({ NODE_ENV: 'development' }), logger);
    expect(await readFile(path, 'utf8')).toBe(content);
    const wrapped = await first.wrap(Buffer.alloc(32, 7), { tenantId: 't', purpose: 'p' });
    expect(await second.unwrap(wrapped, { tenantId: 't', purpose: 'p' })).toEqual(Buffer.alloc(32, 7));
  });

  it('unwraps only under the same context and known versions', async () => {
    const provider = await localKeyProviderFromEnv(env({ CRYPTO_ROOT_KEYS: `v1:${v1}` }));
    const wrapped = await provider.wrap(Buffer.alloc(32, 1), { tenantId: 't', purpose: 'p' });
    await expect(provider.unwrap(wrapped, { tenantId: 'u', purpose: 'p' })).rejects.toThrow();
    await expect(provider.unwrap({ ...wrapped, rootKeyVersion: 9 }, { tenantId: 't', purpose: 'p' })).rejects.toThrow(
      UnknownKeyError,
    );
  });
});
