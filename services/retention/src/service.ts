import { defineService } from '@trustline/service-kit';
import { retentionEnv } from './config';
import { retentionEntities } from './database/entities';
import { retentionMigrations } from './database/migrations';

/** retention: retention policies, legal holds and sweeps. */
export const retentionService = defineService({
  name: 'retention',
  env: retentionEnv,
  portVariable: 'RETENTION_PORT',
  entities: retentionEntities,
  migrations: retentionMigrations,
  imports: [],
});
