import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HEALTH_MODULE_OPTIONS, type HealthModuleOptions } from './health.constants';
import type { CheckStatus, ReadinessCheck, ReadinessReport } from './readiness-check';
import { ReadinessTimeoutError } from './readiness-timeout.error';

/**
 * The service's readiness checks. More can be added after start-up (`app.get(ReadinessRegistry).add(check)`: the
 * standalone launcher adds "all six services ready" to the gateway). Once shutdown begins the service reports
 * not-ready, so load balancers stop sending traffic while in-flight work drains.
 */
@Injectable()
export class ReadinessRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly timeoutMs: number;
  private shuttingDown = false;

  constructor(@Inject(HEALTH_MODULE_OPTIONS) options: HealthModuleOptions) {
    this.timeoutMs = options.checkTimeoutMs ?? 2_000;
    for (const check of options.checks ?? []) {
      this.add(check);
    }
  }

  add(check: ReadinessCheck): void {
    if (this.checks.has(check.name)) {
      throw new Error(`readiness check "${check.name}" is already registered`);
    }
    this.checks.set(check.name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Nest calls this on `app.close()` (and on signals with `enableShutdownHooks()`), before modules are destroyed. */
  beforeApplicationShutdown(): void {
    this.markShuttingDown();
  }

  /** Runs every check concurrently, each bounded by the timeout. Errors are reported by class name only. */
  async evaluate(): Promise<ReadinessReport> {
    if (this.shuttingDown) {
      return { ready: false, shuttingDown: true, checks: {} };
    }
    const results = await Promise.all(
      [...this.checks.values()].map(async (check): Promise<[string, CheckStatus]> => {
        try {
          await this.withTimeout(check);
          return [check.name, { status: 'up' }];
        } catch (error) {
          return [check.name, { status: 'down', error: errorClass(error) }];
        }
      }),
    );
    return {
      ready: results.every(([, status]) => status.status === 'up'),
      shuttingDown: false,
      checks: Object.fromEntries(results),
    };
  }

  private async withTimeout(check: ReadinessCheck): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new ReadinessTimeoutError(check.name, this.timeoutMs)), this.timeoutMs);
    });
    try {
      await Promise.race([check.check(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

// Messages may quote data or infrastructure details; the class name says enough for a probe.
function errorClass(error: unknown): string {
  if (error instanceof Error) {
    return error.constructor?.name || error.name || 'Error';
  }
  return typeof error;
}
