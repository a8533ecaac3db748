import { bool, port } from 'envalid';

/** The standalone launcher's own variables (on top of every service's). */
export const standaloneEnv = {
  SIMULATOR_ENABLED: bool({
    default: true,
    desc: 'Run the WhatsApp Cloud API simulator in the process and point the gateway at it (standalone only)',
  }),
  SIMULATOR_PORT: port({ default: 3900, desc: 'Port of the built-in Cloud API simulator' }),
};
