import { num, str } from 'envalid';

/**
 * The crypto lib's environment (envalid spec fragment, spread into a service's spec). Root keys come from
 * CRYPTO_ROOT_KEYS or CRYPTO_ROOT_KEYS_FILE (e.g. a mounted Kubernetes Secret), as `v1:<base64 32 bytes>,v2:<…>`.
 * In development with neither set, a key is generated into `<DATA_DIR>/root-keys` (mode 0600).
 */
export const cryptoEnv = {
  CRYPTO_ROOT_KEYS: str({
    default: undefined,
    desc: 'Root key versions, `v1:<base64 of 32 bytes>,v2:<…>`. Secret: never log it.',
  }),
  CRYPTO_ROOT_KEYS_FILE: str({
    default: undefined,
    desc: 'File holding the root key versions in the same format (commas or new lines), e.g. a mounted Secret.',
  }),
  CRYPTO_ACTIVE_ROOT_KEY_VERSION: num({
    default: undefined,
    desc: 'Root key version that wraps new keys. Default: the highest version given.',
  }),
  CRYPTO_KEY_CACHE_TTL_MS: num({
    default: 60_000,
    desc: 'How long an unwrapped key stays cached: the longest another replica may still use a shredded key.',
  }),
  CRYPTO_KEY_CACHE_MAX: num({ default: 10_000, desc: 'Most unwrapped subject keys kept in memory per process.' }),
};

/** The validated variables the crypto lib reads (plus NODE_ENV and DATA_DIR from the platform and database specs). */
export interface CryptoEnv {
  readonly NODE_ENV: string;
  readonly DATA_DIR: string;
  readonly CRYPTO_ROOT_KEYS?: string | undefined;
  readonly CRYPTO_ROOT_KEYS_FILE?: string | undefined;
  readonly CRYPTO_ACTIVE_ROOT_KEY_VERSION?: number | undefined;
  readonly CRYPTO_KEY_CACHE_TTL_MS: number;
  readonly CRYPTO_KEY_CACHE_MAX: number;
}
