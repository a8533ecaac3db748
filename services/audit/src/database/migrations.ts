import { InitAudit1764061200005 } from './migrations/1764061200005-InitAudit';

/** Every migration of the audit schema, oldest first (listed explicitly: no globs). */
export const auditMigrations = [InitAudit1764061200005];
