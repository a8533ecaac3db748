import { port } from 'envalid';

/** consent's own variables. Database, NATS, logging and HTTP host variables come from the shared libraries. */
export const consentEnv = {
  CONSENT_PORT: port({ default: 3001, desc: 'HTTP port of the consent service' }),
};
