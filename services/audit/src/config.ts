import { port } from 'envalid';

/** audit's own variables. Database, NATS, logging and HTTP host variables come from the shared libraries. */
export const auditEnv = {
  AUDIT_PORT: port({ default: 3005, desc: 'HTTP port of the audit service' }),
};
