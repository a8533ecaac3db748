import { defineService } from '@trustline/service-kit';
import { dsarEnv } from './config';
import { dsarEntities } from './database/entities';
import { dsarMigrations } from './database/migrations';

/** dsar: data-subject requests: access, portability, correction, erasure. */
export const dsarService = defineService({
  name: 'dsar',
  env: dsarEnv,
  portVariable: 'DSAR_PORT',
  entities: dsarEntities,
  migrations: dsarMigrations,
  imports: [],
});
