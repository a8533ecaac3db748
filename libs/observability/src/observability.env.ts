import { bool, makeValidator, str } from 'envalid';

/** An http(s) URL: OTLP/HTTP needs one (`collector:4318` parses as a URL with scheme "collector:"). */
const httpUrl = makeValidator<string>((input) => {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new Error('Invalid url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error('Invalid url: not http(s)');
  }
  return input;
});

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The observability lib's environment (envalid spec fragment; services spread it into their own spec). */
export const observabilityEnv = {
  LOG_LEVEL: str({ choices: LOG_LEVELS, default: 'info', desc: 'Lowest level written to the JSON log.' }),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl({
    default: undefined,
    desc: 'OTLP/HTTP collector base URL (traces go to <url>/v1/traces). Unset: no exporter, no tracing SDK.',
  }),
  OTEL_SERVICE_NAMESPACE: str({ default: 'trustline', desc: 'OpenTelemetry resource attribute service.namespace.' }),
  METRICS_ENABLED: bool({ default: true, desc: 'Serve Prometheus metrics at GET /metrics.' }),
};

/** The validated variables the observability lib reads (a service's cleaned config is a superset). */
export interface ObservabilityEnv {
  readonly LOG_LEVEL: LogLevel;
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  readonly OTEL_SERVICE_NAMESPACE: string;
  readonly METRICS_ENABLED: boolean;
}
