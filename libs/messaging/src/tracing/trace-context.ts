import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
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

function fail(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'Error' });
  span.end();
}

function endWith<T>(span: Span, work: Promise<T>): Promise<T> {
  return work.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      fail(span, error);
      throw error;
    },
  );
}

/**
 * Runs `send` inside an outgoing (PRODUCER or CLIENT) span whose context is injected into the headers it
 * receives. The parent is the trace context in `headers` when there is one (an outbox row relayed later), else
 * the active context.
 */
export function withOutgoingSpan<T>(
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
    return endWith(span, send(outgoing));
  } catch (error) {
    fail(span, error);
    throw error;
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
  try {
    return endWith(span, context.with(trace.setSpan(parent, span), handle));
  } catch (error) {
    fail(span, error);
    throw error;
  }
}

export { SpanKind };
