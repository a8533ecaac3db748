import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthModule, ReadinessRegistry, type ReadinessCheck } from '@trustline/observability';

class DatabaseUnreachableError extends Error {}

async function startApp(checks: ReadinessCheck[]): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [HealthModule.forRoot({ service: 'consent', checks, checkTimeoutMs: 200 })] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('GET /health/live and /health/ready over HTTP', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers live, and ready with every check up', async () => {
    const started = await startApp([{ name: 'database', check: async () => {} }]);
    app = started.app;
    expect(await get(`${started.url}/health/live`)).toEqual({
      status: 200,
      body: { status: 'up', service: 'consent' },
    });
    expect(await get(`${started.url}/health/ready`)).toEqual({
      status: 200,
      body: { status: 'ready', service: 'consent', checks: { database: { status: 'up' } } },
    });
  });

  it('answers 503 naming the failing check and its error class, while live stays 200', async () => {
    const started = await startApp([
      { name: 'database', check: () => Promise.reject(new DatabaseUnreachableError('postgres://u:pw@db refused')) },
      { name: 'bus', check: () => new Promise(() => {}) },
    ]);
    app = started.app;
    const ready = await get(`${started.url}/health/ready`);
    expect(ready).toEqual({
      status: 503,
      body: {
        status: 'not-ready',
        service: 'consent',
        checks: {
          database: { status: 'down', error: 'DatabaseUnreachableError' },
          bus: { status: 'down', error: 'ReadinessTimeoutError' },
        },
      },
    });
    expect((await get(`${started.url}/health/live`)).status).toBe(200);
  });

  it('takes checks added after start-up into account', async () => {
    const started = await startApp([]);
    app = started.app;
    expect((await get(`${started.url}/health/ready`)).status).toBe(200);
    let allServicesUp = false;
    app.get(ReadinessRegistry).add({
      name: 'services',
      check: () => (allServicesUp ? Promise.resolve() : Promise.reject(new Error('not yet'))),
    });
    expect(await get(`${started.url}/health/ready`)).toMatchObject({
      status: 503,
      body: { checks: { services: { status: 'down', error: 'Error' } } },
    });
    allServicesUp = true;
    expect((await get(`${started.url}/health/ready`)).status).toBe(200);
  });

  it('answers 503 once shutdown has begun', async () => {
    const started = await startApp([{ name: 'database', check: async () => {} }]);
    app = started.app;
    app.get(ReadinessRegistry).markShuttingDown();
    expect(await get(`${started.url}/health/ready`)).toEqual({
      status: 503,
      body: { status: 'not-ready', service: 'consent', shuttingDown: true, checks: {} },
    });
  });
});
