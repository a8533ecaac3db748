import type { Logger } from 'typeorm';

/**
 * TypeORM's logger for our DataSources. TypeORM's own loggers print SQL with bound parameters (personal data in
 * clear) and write migration progress straight to the console; this one never sees a query or its parameters and
 * hands migration progress and warnings to `onMessage` (e.g. the service's structured logger), or drops them.
 */
export class QuietTypeormLogger implements Logger {
  constructor(private readonly onMessage?: (message: string) => void) {}

  logQuery(): void {}

  logQueryError(): void {}

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.onMessage?.(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn' && typeof message === 'string') {
      this.onMessage?.(message);
    }
  }
}
