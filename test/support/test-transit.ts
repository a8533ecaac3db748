import { localKeyProviderFromEnv, TransitCipher } from '@trustline/crypto';
import { TEST_ROOT_KEYS } from './platform-process';

/**
 * A transit cipher on the root keys the test gives the platform's processes: it seals commands as a service would
 * and opens the sealed fields of the events the test observes.
 */
export async function testTransitCipher(): Promise<TransitCipher> {
  const provider = await localKeyProviderFromEnv({
    NODE_ENV: 'test',
    DATA_DIR: 'tmp/never-created',
    CRYPTO_ROOT_KEYS: TEST_ROOT_KEYS,
    CRYPTO_KEY_CACHE_TTL_MS: 60_000,
    CRYPTO_KEY_CACHE_MAX: 10_000,
  });
  return new TransitCipher(provider);
}
