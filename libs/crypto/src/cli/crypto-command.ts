import { dataSourceOptions, openDatabase, type DatabaseEnv } from '@trustline/persistence';
import { readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import type { CryptoLogger } from '../crypto-logger';
import type { CryptoEnv } from '../crypto.env';
import { Keyring } from '../keyring/keyring';
import { localKeyProviderFromEnv } from '../keys/root-keys';
import { rotateWrappedKeys } from '../maintenance/rotate-wrapped-keys';
import { exportShredList, reapplyShredList, type ShredRecord } from '../maintenance/shred-list';
import { cryptoEntities } from '../storage/crypto-entities';

export type CryptoCommandEnv = CryptoEnv & DatabaseEnv;

export const CRYPTO_COMMAND_USAGE =
  'usage: crypto <rotate|export-shred-list|reapply-shred-list> --schema <service schema> ' +
  '[--batch-size <n>] [--file <shred list, JSON lines>]';

/**
 * The operator commands on one service schema: `rotate` (re-wrap under the active root key version, progress
 * lines), `export-shred-list` (JSON lines on `out`, to keep outside the database backups) and `reapply-shred-list`
 * (after a restore; `--file` holds the exported lines). Returns the process exit code. Output holds identifiers and
 * counts only.
 */
export async function runCryptoCommand(
  args: readonly string[],
  env: CryptoCommandEnv,
  out: (line: string) => void,
  logger?: CryptoLogger,
): Promise<number> {
  const [command, ...rest] = args;
  const options = parseOptions(rest);
  const schema = options.get('schema');
  if (
    schema === undefined ||
    (command !== 'rotate' && command !== 'export-shred-list' && command !== 'reapply-shred-list')
  ) {
    out(CRYPTO_COMMAND_USAGE);
    return 2;
  }
  const database = await openDatabase(env);
  const dataSource = new DataSource(
    dataSourceOptions({ schema, entities: [...cryptoEntities], migrations: [], database }),
  );
  await dataSource.initialize();
  try {
    if (command === 'export-shred-list') {
      for (const record of await exportShredList(dataSource)) {
        out(JSON.stringify(record));
      }
      return 0;
    }
    const keyring = new Keyring(dataSource, await localKeyProviderFromEnv(env, logger), { logger });
    if (command === 'rotate') {
      const batchSize = Number(options.get('batch-size') ?? 100);
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        out('--batch-size must be a positive integer');
        return 2;
      }
      const result = await rotateWrappedKeys(dataSource, keyring, {
        batchSize,
        onProgress: (step) => out(`${step.phase}: ${step.done}/${step.total}`),
      });
      out(JSON.stringify(result));
      return result.remaining === 0 ? 0 : 3;
    }
    const file = options.get('file');
    const records = file === undefined ? [] : await readShredRecords(file);
    out(JSON.stringify(await reapplyShredList(dataSource, records, keyring)));
    return 0;
  } finally {
    await dataSource.destroy();
    await database.close();
  }
}

function parseOptions(args: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let index = 0; index < args.length - 1; index += 2) {
    if (args[index].startsWith('--')) {
      options.set(args[index].slice(2), args[index + 1]);
    }
  }
  return options;
}

async function readShredRecords(file: string): Promise<ShredRecord[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null) {
        throw new TypeError(`shred list line ${index + 1}: not a record`);
      }
      const { tenantId, subjectRef, keyId, shreddedAt } = value as Record<string, unknown>;
      if (
        typeof tenantId !== 'string' ||
        typeof subjectRef !== 'string' ||
        typeof keyId !== 'string' ||
        typeof shreddedAt !== 'string'
      ) {
        throw new TypeError(`shred list line ${index + 1}: expected tenantId, subjectRef, keyId, shreddedAt`);
      }
      return { tenantId, subjectRef, keyId, shreddedAt };
    });
}
