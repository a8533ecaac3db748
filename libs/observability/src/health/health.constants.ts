import type { ReadinessCheck } from './readiness-check';

export const HEALTH_MODULE_OPTIONS = Symbol('HEALTH_MODULE_OPTIONS');

export interface HealthModuleOptions {
  /** Reported in every answer. */
  readonly service: string;
  readonly checks?: readonly ReadinessCheck[];
  /** Per check; a slower check counts as down. Default 2000 ms. */
  readonly checkTimeoutMs?: number;
}
