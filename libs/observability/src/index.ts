export { HEALTH_MODULE_OPTIONS, type HealthModuleOptions } from './health/health.constants';
export { HealthController, type LivenessAnswer, type ReadinessAnswer } from './health/health.controller';
export { HealthModule } from './health/health.module';
export { IS_PUBLIC_ROUTE, Public } from './health/public.decorator';
export type { CheckStatus, ReadinessCheck, ReadinessReport } from './health/readiness-check';
export { ReadinessRegistry } from './health/readiness-registry';
export { ReadinessTimeoutError } from './health/readiness-timeout.error';
export { captureLogs, type LogCapture } from './logging/log-capture';
export { createLogger, type Logger, type LoggerSettings } from './logging/logger';
export { NestLogger } from './logging/nest-logger';
export {
  PERSONAL_DATA_KEYS,
  REDACTED,
  isPersonalDataKey,
  redactPersonalData,
  scrubText,
} from './logging/personal-data';
export { MetricsController } from './metrics/metrics.controller';
export { MetricsModule, type MetricsModuleOptions } from './metrics/metrics.module';
export { ServiceMetrics, createMetrics } from './metrics/service-metrics';
export { LOG_LEVELS, observabilityEnv, type LogLevel, type ObservabilityEnv } from './observability.env';
export { registerTracePropagation, startTelemetry, type Telemetry } from './telemetry/telemetry';
export { startTelemetryFromEnv } from './telemetry/telemetry.env';
