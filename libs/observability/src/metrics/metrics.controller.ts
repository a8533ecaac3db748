import { Controller, Get, Header } from '@nestjs/common';
import { prometheusContentType } from 'prom-client';
import { Public } from '../health/public.decorator';
import { ServiceMetrics } from './service-metrics';

/** GET /metrics: Prometheus text exposition of the process and this service. */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get()
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  getMetrics(): Promise<string> {
    return this.metrics.exposition();
  }
}
