import { context, propagation, trace, type ContextManager } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { ObservabilityEnv } from '../observability.env';

export interface Telemetry {
  /** Whether spans are exported (OTEL_EXPORTER_OTLP_ENDPOINT was set for the process's first call). */
  readonly exporting: boolean;
  /** Flushes and stops the SDK once every user of it has shut down. Idempotent per handle. */
  shutdown(): Promise<void>;
}

interface ProcessTelemetry {
  readonly sdk: NodeSDK | undefined;
  users: number;
}

// Query parameters that carry secrets or personal data never go into span attributes.
const REDACTED_QUERY_PARAMETERS = [
  'hub.verify_token',
  'hub.challenge',
  'access_token',
  'token',
  'code',
  'signature',
  'phone',
  'phone_number',
  'wa_id',
  'email',
];
const UNTRACED_PATHS = ['/health/live', '/health/ready', '/metrics'];

let contextManager: ContextManager | undefined;
let processTelemetry: ProcessTelemetry | undefined;

/**
 * Registers the W3C trace-context propagator and an AsyncLocalStorage context manager, once per process. This is all
 * that trace propagation over NATS headers needs (`propagation.inject`/`extract` with `context.with`), with or
 * without an exporter. Baggage is not propagated: it could carry personal data across services.
 */
export function registerTracePropagation(): void {
  if (contextManager) {
    return;
  }
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/**
 * Call first thing in `main.ts` (via `instrument.ts`), before Nest, pg or http are loaded. Propagation is always
 * registered. With OTEL_EXPORTER_OTLP_ENDPOINT the OpenTelemetry Node SDK starts too, exporting spans over OTLP/HTTP
 * to `<endpoint>/v1/traces`, with the http and pg instrumentations and resource `service.name`/`service.namespace`.
 * One SDK per process: in the standalone process the first call wins and later calls share it.
 */
export function startTelemetry(
  serviceName: string,
  env: Pick<ObservabilityEnv, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAMESPACE'>,
): Telemetry {
  if (!processTelemetry) {
    const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
    let sdk: NodeSDK | undefined;
    if (endpoint) {
      const propagationRegistered = contextManager !== undefined;
      contextManager ??= new AsyncLocalStorageContextManager();
      sdk = new NodeSDK({
        serviceName,
        resource: defaultResource().merge(
          resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': env.OTEL_SERVICE_NAMESPACE }),
        ),
        traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
        instrumentations: [
          new HttpInstrumentation({
            ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.includes((request.url ?? '').split('?')[0]),
            redactedQueryParams: REDACTED_QUERY_PARAMETERS,
            redactedQueryParamsServer: REDACTED_QUERY_PARAMETERS,
          }),
          // Statements only (parameterized SQL), never their bound values.
          new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
        ],
        contextManager,
        textMapPropagator: propagationRegistered ? null : new W3CTraceContextPropagator(),
        // Metrics go through prom-client (GET /metrics) and logs through pino: no OTel metric or log exporters.
        metricReaders: [],
        logRecordProcessors: [],
      });
      sdk.start();
    } else {
      registerTracePropagation();
    }
    processTelemetry = { sdk, users: 0 };
  }
  const shared = processTelemetry;
  shared.users += 1;
  let shutDown = false;
  return {
    exporting: shared.sdk !== undefined,
    shutdown: async () => {
      if (shutDown) {
        return;
      }
      shutDown = true;
      shared.users -= 1;
      if (shared.users > 0) {
        return;
      }
      if (processTelemetry === shared) {
        processTelemetry = undefined;
      }
      if (!shared.sdk) {
        return;
      }
      await shared.sdk.shutdown();
      trace.disable(); // a later startTelemetry (tests) can register a tracer provider again
    },
  };
}
