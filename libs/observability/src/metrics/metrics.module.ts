import { Module, type DynamicModule } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { ServiceMetrics } from './service-metrics';

export interface MetricsModuleOptions {
  readonly metrics: ServiceMetrics;
  /** Serve GET /metrics (METRICS_ENABLED). When false the ServiceMetrics provider still exists. Default true. */
  readonly expose?: boolean;
}

/** Provides the service's {@link ServiceMetrics} to every module (inject `ServiceMetrics`) and GET /metrics. */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      providers: [{ provide: ServiceMetrics, useValue: options.metrics }],
      exports: [ServiceMetrics],
      controllers: options.expose === false ? [] : [MetricsController],
    };
  }
}
