import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import { scrubText } from './personal-data';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's LoggerService on the service's pino logger (`app.useLogger(new NestLogger(logger))`), so Nest's own
 * messages are JSON lines with the same redaction. Nest passes `(message, ...params)` where the last string param is
 * the context (class name) and, for errors, a stack trace may come first.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  // Nest's `log` level is its boot chatter (module and route listings); operators want it only when debugging.
  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') {
      const last = rest[rest.length - 1] as string;
      // error(message, stack) without a context: a lone string with a stack frame is the stack
      if (!(level === 'error' && rest.length === 1 && last.includes('\n    at '))) {
        fields.context = last;
        rest.pop();
      }
    }
    // Structured call, pino's order: `logger.warn({ fields }, 'message')` from a Nest Logger with a context.
    const isFields = typeof message === 'object' && message !== null && !(message instanceof Error);
    if (isFields && typeof rest[0] === 'string' && !rest[0].includes('\n    at ')) {
      const text = scrubText(rest.shift() as string);
      if (rest.length > 0) {
        fields.params = rest;
      }
      this.logger[level]({ ...fields, data: message }, text);
      return;
    }
    if (typeof rest[0] === 'string' && level === 'error') {
      fields.stack = scrubText(rest.shift() as string);
    }
    if (rest.length > 0) {
      fields.params = rest;
    }
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message });
    } else if (typeof message === 'string') {
      this.logger[level](fields, message);
    } else {
      this.logger[level]({ ...fields, data: message });
    }
  }
}
