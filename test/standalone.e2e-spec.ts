import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, PlatformProcess, SERVICE_NAMES, servicePorts, waitForReady } from './support/platform-process';

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

  async function boot(): Promise<{ ready: unknown; gatewayUrl: string; simulatorUrl: string }> {
    const ports = await servicePorts();
    const simulatorPort = await freePort();
    platform = new PlatformProcess('dist/services/standalone/src/main.js', {
      ...ports,
      SIMULATOR_PORT: String(simulatorPort),
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      NATS_URL: undefined,
    });
    const gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
    const ready = await waitForReady(`${gatewayUrl}/health/ready`, platform);
    return { ready, gatewayUrl, simulatorUrl: `http://127.0.0.1:${simulatorPort}` };
  }

  it('becomes ready with all six services, then shuts down cleanly on SIGTERM', async () => {
    const { ready, gatewayUrl, simulatorUrl } = await boot();
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

    // The built-in simulator plays Meta for the development tenant: the handshake, then a user's signed message.
    const challenge = await fetch(
      `${gatewayUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=42&hub.verify_token=dev-verify-token`,
    );
    expect(await challenge.text()).toBe('42');
    const inbound = await fetch(`${simulatorUrl}/_sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '5511987654321', name: 'Ana Souza', text: 'Olá!' }),
    });
    expect(await inbound.json()).toMatchObject({ wamid: expect.stringMatching(/^wamid\./), status: 200 });
    const after = await (await fetch(`${gatewayUrl}/metrics`)).text();
    expect(after).toMatch(/trustline_gateway_webhooks_total\{[^}]*outcome="accepted"[^}]*\} 1/);

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
