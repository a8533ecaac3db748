import { InitConsent1764061200001 } from './migrations/1764061200001-InitConsent';

/** Every migration of the consent schema, oldest first (listed explicitly: no globs). */
export const consentMigrations = [InitConsent1764061200001];
