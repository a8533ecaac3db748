import { port } from 'envalid';

/** dsar's own variables. Database, NATS, logging and HTTP host variables come from the shared libraries. */
export const dsarEnv = {
  DSAR_PORT: port({ default: 3004, desc: 'HTTP port of the dsar service' }),
};
