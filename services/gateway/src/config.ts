import { port } from 'envalid';

/** gateway's own variables. Database, NATS, logging and HTTP host variables come from the shared libraries. */
export const gatewayEnv = {
  GATEWAY_PORT: port({ default: 3000, desc: 'HTTP port of the gateway service' }),
};
