import type { AutoStatus, ResolvedSimulatorOptions, SimulatorOptions } from './simulator.options';

/** The development tenant: what `npm start` and the chat client use unless told otherwise. */
export const DEV_SIMULATOR_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 3900,
  accessToken: 'dev-access-token',
  appSecret: 'dev-app-secret',
  webhookUrl: 'http://127.0.0.1:3000/webhooks/whatsapp',
  phoneNumberId: '100000000000001',
  displayPhoneNumber: '15550000001',
  wabaId: '200000000000001',
});

const STATUS_ORDER: readonly AutoStatus[] = ['sent', 'delivered', 'read'];

/** Fills the defaults and rejects configurations the simulator cannot serve (no number, duplicate numbers). */
export function resolveSimulatorOptions(options: SimulatorOptions): ResolvedSimulatorOptions {
  const numbers = options.apps.flatMap((app) => app.phoneNumbers.map((number) => number.phoneNumberId));
  if (numbers.length === 0) {
    throw new Error('The simulator needs at least one app with one phone number');
  }
  if (new Set(numbers).size !== numbers.length) {
    throw new Error('Each phoneNumberId may belong to one app only');
  }
  const autoStatuses = options.autoStatuses ?? [...STATUS_ORDER];
  return {
    host: options.host ?? DEV_SIMULATOR_DEFAULTS.host,
    port: options.port ?? DEV_SIMULATOR_DEFAULTS.port,
    accessToken: options.accessToken ?? DEV_SIMULATOR_DEFAULTS.accessToken,
    apps: options.apps,
    statusDelayMs: options.statusDelayMs ?? 50,
    // Meta's order, whatever order the caller listed them in.
    autoStatuses: STATUS_ORDER.filter((status) => autoStatuses.includes(status)),
    throughputMps: options.throughputMps ?? 80,
    pairLimit: options.pairLimit ?? { messages: 45, windowMs: 6000 },
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? [500, 1000, 2000, 4000],
    log: options.log ?? (() => undefined),
  };
}
