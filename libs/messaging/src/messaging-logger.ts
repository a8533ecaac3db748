/**
 * The slice of a pino logger the messaging layer uses. Log lines carry subjects, ids and attempt counts, never
 * payloads: those may hold (sealed) personal data.
 */
export interface MessagingLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const ignore = (): void => undefined;

export const noopLogger: MessagingLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
