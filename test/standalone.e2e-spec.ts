import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformProcess, SERVICE_NAMES, servicePorts, waitForReady } from './support/platform-process';

// `npm start` as a newcomer runs it: one process, embedded PostgreSQL, in-process bus, no external server.
jest.setTimeout(120_000);

describe('standalone mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'trustline-standalone-'));
  let platform: PlatformProcess | undefined;

  afterEach(async () => {
    await platform?.kill();
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function boot(): Promise<{ ready: unknown; gatewayUrl: string }> {
    const ports = await servicePorts();
    platform = new PlatformProcess('dist/services/standalone/src/main.js', {
      ...ports,
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      NATS_URL: undefined,
    });
    const gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
    return { ready: await waitForReady(`${gatewayUrl}/health/ready`, platform), gatewayUrl };
  }

  it('becomes ready with all six services, then shuts down cleanly on SIGTERM', async () => {
    const { ready, gatewayUrl } = await boot();
    expect(ready).toMatchObject({
      status: 'ready',
      service: 'gateway',
      checks: Object.fromEntries(
        [...SERVICE_NAMES.filter((name) => name !== 'gateway'), 'database', 'bus'].map((name) => [
          name,
          { status: 'up' },
        ]),
      ),
    });
    for (const name of SERVICE_NAMES) {
      expect(platform?.text).toMatch(new RegExp(`${name}\\s+http://127\\.0\\.0\\.1:\\d+`));
    }
    const metrics = await (await fetch(`${gatewayUrl}/metrics`)).text();
    expect(metrics).toContain('service="gateway"');

    platform?.signal('SIGTERM');
    expect(await platform?.exited).toEqual({ code: 0, signal: null });
    expect(platform?.text).toContain('Trustline stopped.');
    expect(platform?.text).not.toMatch(/"level":"(error|fatal)"/);
  });

  it('starts again on the data it kept on disk', async () => {
    const { ready } = await boot();
    expect(ready).toMatchObject({ status: 'ready' });
    platform?.signal('SIGINT');
    expect((await platform?.exited)?.code).toBe(0);
  });
});
