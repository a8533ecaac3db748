import { port } from 'envalid';

/** retention's own variables. Database, NATS, logging and HTTP host variables come from the shared libraries. */
export const retentionEnv = {
  RETENTION_PORT: port({ default: 3003, desc: 'HTTP port of the retention service' }),
};
