import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
} from '@opentelemetry/api';

// W3C trace context travels in transport headers (there is no OpenTelemetry instrumentation for NATS): inject on
// publish, extract on consume and run the handler inside the extracted context. Only @opentelemetry/api is used,
// so without an SDK all of this is a no-op apart from carrying the caller's context along.

const TRACER_NAME = '@trustline/messaging';

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** The active trace context as headers, e.g. to store with an outbox row and publish later. */
export function captureTraceHeaders(active: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier;
}

/**
 * Runs `send` inside an outgoing (PRODUCER or CLIENT) span whose context is injected into the headers it
 * receives. The parent is the trace context in `headers` when there is one (an outbox row relayed later), else
 * the active context.
 */
export async function withOutgoingSpan<T>(
  name: string,
  kind: SpanKind,
  headers: Readonly<Record<string, string>>,
  attributes: Attributes,
  send: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  const parent = 'traceparent' in headers ? propagation.extract(ROOT_CONTEXT, headers) : context.active();
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  const outgoing: Record<string, string> = { ...headers };
  propagation.inject(trace.setSpan(parent, span), outgoing);
  try {
    return await send(outgoing);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'Error' });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs a consumer or responder handler inside the trace context that came with the message, in a span of the
 * given kind. The span records the error class only, never its message.
 */
export function runInExtractedContext<T>(
  name: string,
  kind: SpanKind,
  headers: Readonly<Record<string, string>>,
  attributes: Attributes,
  handle: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await handle();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'Error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
