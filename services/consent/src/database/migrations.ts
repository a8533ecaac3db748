import { CreateCryptoTables1700000000100 } from '@trustline/crypto';
import { InitConsent1764061200001 } from './migrations/1764061200001-InitConsent';
import { AddConsentLedger1795606916523 } from './migrations/1795606916523-AddConsentLedger';

/** Every migration of the consent schema, oldest first (listed explicitly: no globs). */
export const consentMigrations = [
  CreateCryptoTables1700000000100,
  InitConsent1764061200001,
  AddConsentLedger1795606916523,
];
