import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createMetrics, MetricsModule, ServiceMetrics } from '@trustline/observability';
import type { Counter } from 'prom-client';

@Injectable()
class GrantCounter {
  readonly grants: Counter<'purpose'>;

  constructor(metrics: ServiceMetrics) {
    this.grants = metrics.counter({ name: 'trustline_consent_grants_total', help: 'grants', labelNames: ['purpose'] });
  }
}

@Module({ providers: [GrantCounter], exports: [GrantCounter] })
class GrantModule {}

async function startApp(service: string, expose: boolean): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [MetricsModule.forRoot({ metrics: createMetrics(service), expose }), GrantModule] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('GET /metrics over HTTP', () => {
  const apps: INestApplication[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('serves Prometheus text with the service label, for two services in one process', async () => {
    const consent = await startApp('consent', true);
    const audit = await startApp('audit', true);
    apps.push(consent.app, audit.app);
    consent.app.get(GrantCounter).grants.inc({ purpose: 'marketing' });

    const response = await fetch(`${consent.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('trustline_consent_grants_total{purpose="marketing",service="consent"} 1');
    expect(text).toContain('process_resident_memory_bytes');

    const auditText = await (await fetch(`${audit.url}/metrics`)).text();
    expect(auditText).toContain('# TYPE trustline_consent_grants_total counter'); // its own, still empty
    expect(auditText).not.toContain('service="consent"');
  });

  it('keeps ServiceMetrics injectable but serves no endpoint when metrics are disabled', async () => {
    const hidden = await startApp('dsar', false);
    apps.push(hidden.app);
    expect(hidden.app.get(ServiceMetrics).service).toBe('dsar');
    expect((await fetch(`${hidden.url}/metrics`)).status).toBe(404);
  });
});
