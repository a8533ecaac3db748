export { DEV_SIMULATOR_DEFAULTS } from './simulator.defaults';
export type {
  AutoStatus,
  RunningSimulator,
  SimulatorApp,
  SimulatorOptions,
  SimulatorPhoneNumber,
} from './simulator.options';
export { startCloudApiSimulator } from './simulator.server';
export type { SimulatorStats } from './state/simulator.state';
export { deriveBsuid } from './users/user-id.rules';
export { toMetaJson } from './webhooks/meta-json.rules';
export { signWebhookBody } from './webhooks/signature.rules';
