import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { noopCryptoLogger, type CryptoLogger } from '../crypto-logger';
import type { CryptoEnv } from '../crypto.env';
import { RootKeyConfigError } from '../errors/root-key-config.error';
import { LocalKeyProvider } from './local-key-provider';

const ENTRY = /^v([1-9]\d{0,8}):([A-Za-z0-9+/]{43}=)$/;

/**
 * Parses `v1:<base64>,v2:<base64>` (commas or new lines). Errors name `variable` and the entry's position, never a
 * value.
 */
export function parseRootKeys(text: string, variable: string): Map<number, Buffer> {
  const keys = new Map<number, Buffer>();
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) {
    throw new RootKeyConfigError(variable, 'no root key given');
  }
  entries.forEach((entry, index) => {
    const match = ENTRY.exec(entry);
    if (!match) {
      throw new RootKeyConfigError(
        variable,
        `entry ${index + 1} is malformed: expected v<version>:<base64 of exactly 32 bytes>`,
      );
    }
    const version = Number(match[1]);
    if (keys.has(version)) {
      throw new RootKeyConfigError(variable, `version v${version} is given twice`);
    }
    keys.set(version, Buffer.from(match[2], 'base64'));
  });
  return keys;
}

/**
 * The `local` key provider from the environment. Outside development a missing or malformed root key stops start-up
 * with a RootKeyConfigError. In development with no key configured, one is generated on first start into
 * `<DATA_DIR>/root-keys` (mode 0600) and reused after, with a warning: never use that in production.
 */
export async function localKeyProviderFromEnv(
  env: CryptoEnv,
  logger: CryptoLogger = noopCryptoLogger,
): Promise<LocalKeyProvider> {
  let keys: Map<number, Buffer>;
  let variable: string;
  if (env.CRYPTO_ROOT_KEYS !== undefined && env.CRYPTO_ROOT_KEYS_FILE !== undefined) {
    throw new RootKeyConfigError('CRYPTO_ROOT_KEYS_FILE', 'set either CRYPTO_ROOT_KEYS or CRYPTO_ROOT_KEYS_FILE');
  }
  if (env.CRYPTO_ROOT_KEYS !== undefined) {
    variable = 'CRYPTO_ROOT_KEYS';
    keys = parseRootKeys(env.CRYPTO_ROOT_KEYS, variable);
  } else if (env.CRYPTO_ROOT_KEYS_FILE !== undefined) {
    variable = 'CRYPTO_ROOT_KEYS_FILE';
    keys = parseRootKeys(await readKeyFile(env.CRYPTO_ROOT_KEYS_FILE, variable), variable);
  } else if (env.NODE_ENV === 'development') {
    variable = 'DATA_DIR/root-keys';
    keys = parseRootKeys(await developmentKeyFile(env.DATA_DIR, logger), variable);
  } else {
    throw new RootKeyConfigError(
      'CRYPTO_ROOT_KEYS',
      'no root key configured: set CRYPTO_ROOT_KEYS or CRYPTO_ROOT_KEYS_FILE (generated keys are for NODE_ENV=development only)',
    );
  }
  const active = env.CRYPTO_ACTIVE_ROOT_KEY_VERSION ?? Math.max(...keys.keys());
  if (!keys.has(active)) {
    throw new RootKeyConfigError('CRYPTO_ACTIVE_ROOT_KEY_VERSION', `version v${active} is not among the root keys`);
  }
  const provider = new LocalKeyProvider(keys, active);
  logger.info({ provider: provider.name, versions: provider.versions, activeVersion: active }, 'root keys loaded');
  return provider;
}

async function readKeyFile(path: string, variable: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new RootKeyConfigError(variable, 'cannot read the file');
  }
}

async function developmentKeyFile(dataDir: string, logger: CryptoLogger): Promise<string> {
  const path = join(dataDir, 'root-keys');
  const existing = await stat(path).catch(() => undefined);
  if (existing) {
    if ((existing.mode & 0o077) !== 0) {
      logger.warn({ path }, 'development root key file is readable by others: chmod 600 it');
    }
    logger.warn({ path }, 'using the generated development root key; configure CRYPTO_ROOT_KEYS outside development');
    return readFile(path, 'utf8');
  }
  await mkdir(dataDir, { recursive: true });
  const text = `v1:${randomBytes(32).toString('base64')}\n`;
  // `wx`: two processes starting at once must not overwrite each other's key; the loser reads the winner's.
  try {
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
  } catch {
    return readFile(path, 'utf8');
  }
  logger.warn(
    { path },
    'generated a development root key: data sealed under it is lost with this file; configure CRYPTO_ROOT_KEYS outside development',
  );
  return text;
}
