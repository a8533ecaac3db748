import { defineService } from '@trustline/service-kit';
import { consentEnv } from './config';
import { consentEntities } from './database/entities';
import { consentMigrations } from './database/migrations';

/** consent: opt-in, the consent ledger, opt-out and suppression. */
export const consentService = defineService({
  name: 'consent',
  env: consentEnv,
  portVariable: 'CONSENT_PORT',
  entities: consentEntities,
  migrations: consentMigrations,
  imports: [],
});
