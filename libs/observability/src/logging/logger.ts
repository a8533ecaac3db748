import { isSpanContextValid, trace } from '@opentelemetry/api';
import {
  pino,
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Logger,
  type LoggerOptions,
} from 'pino';
import type { LogLevel } from '../observability.env';
import { redactPersonalData, scrubText } from './personal-data';

export type { Logger } from 'pino';

export interface LoggerSettings {
  readonly level: LogLevel;
  /** Where JSON lines go; default stdout. Tests pass a stream that collects them. */
  readonly destination?: DestinationStream;
}

/**
 * The service's structured JSON logger (pino): one line per entry with `service`, the active OpenTelemetry
 * `trace_id`/`span_id`, and personal data redacted (see personal-data.ts) in the logged objects, the child bindings
 * and the message text.
 */
export function createLogger(service: string, settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service },
    messageKey: 'msg',
    errorKey: 'err',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => asRecord(redactPersonalData(bindings)), // the root's base fields
      log: (object) => asRecord(redactPersonalData(object)),
    },
    // The redaction walker already serialized errors (and scrubbed them); pino's own err serializer would undo that.
    serializers: { err: (value: unknown) => value },
    mixin: traceFields,
    hooks: { logMethod: scrubMessage },
  };
  const logger = settings.destination ? pino(options, settings.destination) : pino(options);
  return redactingBindings(logger);
}

/**
 * pino applies `formatters.bindings` to the root's base fields only, not to `child()` / `setBindings()` bindings:
 * redact those on the way in. Children inherit these methods from the root, so grandchildren are covered too.
 */
function redactingBindings(logger: Logger): Logger {
  /* eslint-disable @typescript-eslint/unbound-method -- both are called with the logger as `this` below */
  const child: (this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions<never>) => Logger = logger.child;
  const setBindings: (this: Logger, bindings: Bindings) => void = logger.setBindings;
  /* eslint-enable @typescript-eslint/unbound-method */
  logger.child = function (this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions<never>) {
    return child.call(this, asRecord(redactPersonalData(bindings)), childOptions);
  } as unknown as Logger['child']; // pino's generic is about custom levels, which these loggers do not have
  logger.setBindings = function (this: Logger, bindings: Bindings) {
    setBindings.call(this, asRecord(redactPersonalData(bindings)));
  };
  return logger;
}

function traceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) {
    return {};
  }
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * The message text is free text: format it here (pino's printf-style, objects redacted first), mask phone numbers
 * and e-mail addresses, and hand pino a finished string. When no message is given pino would use `err.message`.
 */
function scrubMessage(this: Logger, args: unknown[], method: (...args: unknown[]) => void): void {
  const [first, ...rest] = args;
  if (typeof first === 'string') {
    method.call(this, scrubText(formatMessage(first, rest)));
    return;
  }
  const [message, ...params] = rest;
  if (typeof message === 'string') {
    method.call(this, first, scrubText(formatMessage(message, params)));
    return;
  }
  const error = first instanceof Error ? first : errorOf(first);
  if (message === undefined && error) {
    method.call(this, first, scrubText(error.message));
    return;
  }
  method.call(this, ...args);
}

function errorOf(value: unknown): Error | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const err = (value as { err?: unknown }).err;
  return err instanceof Error ? err : undefined;
}

/** pino's placeholders (%s %d %i %f %j %o %O %%); arguments without a placeholder are dropped, as pino does. */
function formatMessage(template: string, params: unknown[]): string {
  let next = 0;
  return template.replace(/%([sdifjoO%])/g, (placeholder, kind: string) => {
    if (kind === '%') {
      return '%';
    }
    if (next >= params.length) {
      return placeholder;
    }
    const param = redactPersonalData(params[next++]);
    switch (kind) {
      case 'd':
      case 'i':
      case 'f':
        return String(Number(param));
      case 's':
        return typeof param === 'object' && param !== null ? safeJson(param) : String(param);
      default:
        return safeJson(param);
    }
  });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[unserializable]';
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
