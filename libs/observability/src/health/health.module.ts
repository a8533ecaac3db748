import { Module, type DynamicModule } from '@nestjs/common';
import { HEALTH_MODULE_OPTIONS, type HealthModuleOptions } from './health.constants';
import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness-registry';

/** GET /health/live and /health/ready; `ReadinessRegistry` is injectable everywhere to add checks. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      providers: [{ provide: HEALTH_MODULE_OPTIONS, useValue: options }, ReadinessRegistry],
      exports: [ReadinessRegistry],
      controllers: [HealthController],
    };
  }
}
