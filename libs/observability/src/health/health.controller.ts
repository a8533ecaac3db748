import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HEALTH_MODULE_OPTIONS, type HealthModuleOptions } from './health.constants';
import { Public } from './public.decorator';
import type { CheckStatus } from './readiness-check';
import { ReadinessRegistry } from './readiness-registry';

export interface LivenessAnswer {
  readonly status: 'up';
  readonly service: string;
}

export interface ReadinessAnswer {
  readonly status: 'ready' | 'not-ready';
  readonly service: string;
  readonly shuttingDown?: true;
  readonly checks: Readonly<Record<string, CheckStatus>>;
}

/** Kubernetes probes: GET /health/live (process is up) and GET /health/ready (200 ready, 503 not ready). */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(HEALTH_MODULE_OPTIONS) private readonly options: HealthModuleOptions,
  ) {}

  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): LivenessAnswer {
    return { status: 'up', service: this.options.service };
  }

  @Get('ready')
  @Header('Cache-Control', 'no-store')
  async ready(): Promise<ReadinessAnswer> {
    const report = await this.readiness.evaluate();
    if (report.ready) {
      return { status: 'ready', service: this.options.service, checks: report.checks };
    }
    const answer: ReadinessAnswer = {
      status: 'not-ready',
      service: this.options.service,
      ...(report.shuttingDown ? { shuttingDown: true as const } : {}),
      checks: report.checks,
    };
    throw new ServiceUnavailableException(answer);
  }
}
