import { defineService } from '@trustline/service-kit';
import { auditEnv } from './config';
import { auditEntities } from './database/entities';
import { auditMigrations } from './database/migrations';

/** audit: the tamper-evident audit log. */
export const auditService = defineService({
  name: 'audit',
  env: auditEnv,
  portVariable: 'AUDIT_PORT',
  entities: auditEntities,
  migrations: auditMigrations,
  imports: [],
});
