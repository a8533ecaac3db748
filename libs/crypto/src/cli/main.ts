// `node dist/libs/crypto/src/cli/main.js <rotate|export-shred-list|reapply-shred-list> --schema <schema> …`
// Reads the service's database and crypto variables (DATABASE_URL or DATA_DIR, CRYPTO_ROOT_KEYS…).
import { databaseEnv } from '@trustline/persistence';
import { cleanEnv, str } from 'envalid';
import { cryptoEnv } from '../crypto.env';
import { runCryptoCommand } from './crypto-command';

const env = cleanEnv(process.env, {
  ...databaseEnv,
  ...cryptoEnv,
  NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'development' }),
});

const logger = {
  info: (obj: object, msg?: string) => console.error(JSON.stringify({ level: 'info', msg, ...obj })),
  warn: (obj: object, msg?: string) => console.error(JSON.stringify({ level: 'warn', msg, ...obj })),
};

async function main(): Promise<void> {
  try {
    process.exitCode = await runCryptoCommand(process.argv.slice(2), env, (line) => console.log(line), logger);
  } catch (error) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : 'crypto command failed');
    process.exitCode = 1;
  }
}

void main();
