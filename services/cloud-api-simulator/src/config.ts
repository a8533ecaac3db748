import { cleanEnv, num, port, str, url } from 'envalid';
import { DEV_SIMULATOR_DEFAULTS } from './simulator.defaults';
import type { SimulatorOptions } from './simulator.options';

/** The simulator process's environment; every default is the development tenant. */
export const simulatorEnv = {
  SIMULATOR_HOST: str({ default: DEV_SIMULATOR_DEFAULTS.host, desc: 'Interface to listen on.' }),
  SIMULATOR_PORT: port({ default: DEV_SIMULATOR_DEFAULTS.port, desc: 'Port to listen on.' }),
  SIMULATOR_ACCESS_TOKEN: str({
    default: DEV_SIMULATOR_DEFAULTS.accessToken,
    desc: 'Bearer token the Graph endpoints require.',
  }),
  SIMULATOR_APP_SECRET: str({
    default: DEV_SIMULATOR_DEFAULTS.appSecret,
    desc: 'App secret webhooks are signed with.',
  }),
  SIMULATOR_WEBHOOK_URL: url({ default: DEV_SIMULATOR_DEFAULTS.webhookUrl, desc: 'Where webhooks are posted.' }),
  SIMULATOR_PHONE_NUMBER_ID: str({ default: DEV_SIMULATOR_DEFAULTS.phoneNumberId, desc: 'Business phone number ID.' }),
  SIMULATOR_DISPLAY_NUMBER: str({
    default: DEV_SIMULATOR_DEFAULTS.displayPhoneNumber,
    desc: 'Business display phone number (digits).',
  }),
  SIMULATOR_WABA_ID: str({ default: DEV_SIMULATOR_DEFAULTS.wabaId, desc: 'WhatsApp Business Account ID.' }),
  SIMULATOR_STATUS_DELAY_MS: num({ default: 50, desc: 'Pause between the sent, delivered and read webhooks.' }),
};

/** Simulator options for one app with one number, from the environment. */
export function loadSimulatorOptions(env: Record<string, string | undefined> = process.env): SimulatorOptions {
  const config = cleanEnv(env, simulatorEnv);
  return {
    host: config.SIMULATOR_HOST,
    port: config.SIMULATOR_PORT,
    accessToken: config.SIMULATOR_ACCESS_TOKEN,
    statusDelayMs: config.SIMULATOR_STATUS_DELAY_MS,
    apps: [
      {
        appSecret: config.SIMULATOR_APP_SECRET,
        webhookUrl: config.SIMULATOR_WEBHOOK_URL,
        phoneNumbers: [
          {
            phoneNumberId: config.SIMULATOR_PHONE_NUMBER_ID,
            displayPhoneNumber: config.SIMULATOR_DISPLAY_NUMBER,
            wabaId: config.SIMULATOR_WABA_ID,
          },
        ],
      },
    ],
  };
}
