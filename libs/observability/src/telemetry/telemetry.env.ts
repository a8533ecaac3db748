import { cleanEnv } from 'envalid';
import { observabilityEnv } from '../observability.env';
import { startTelemetry, type Telemetry } from './telemetry';

/**
 * `startTelemetry` for a service's `instrument.ts`, which runs before the service's config is loaded (it must come
 * before http and pg are imported): validates only the telemetry variables, naming (never quoting) bad ones.
 */
export function startTelemetryFromEnv(serviceName: string, env: NodeJS.ProcessEnv = process.env): Telemetry {
  const { OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAMESPACE } = observabilityEnv;
  const cleaned = cleanEnv(
    env,
    { OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAMESPACE },
    {
      reporter: ({ errors }) => {
        const names = Object.keys(errors);
        if (names.length > 0) {
          throw new Error(`${serviceName}: invalid telemetry configuration: ${names.join(', ')}`);
        }
      },
    },
  );
  return startTelemetry(serviceName, cleaned);
}
