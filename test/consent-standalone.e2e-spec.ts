import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './support/concurrency';
import { ACCEPT, BUSINESS, user } from './support/consent-users';
import { freePort, PlatformProcess, servicePorts, waitForReady } from './support/platform-process';
import { SimulatorClient } from './support/simulator-client';

// The opt-out and opt-in keywords in standalone mode (one process, embedded PostgreSQL, in-process bus), seen only
// as a WhatsApp user sees them: through the Cloud API simulator.
jest.setTimeout(120_000);

/** How long "nothing more arrives" is watched for. */
const QUIET_MS = 1_500;

describe('consent keywords in standalone mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'trustline-consent-standalone-'));
  let platform: PlatformProcess | undefined;
  let sim: SimulatorClient;

  beforeAll(async () => {
    const ports = await servicePorts();
    const simulatorPort = await freePort();
    platform = new PlatformProcess('dist/services/standalone/src/main.js', {
      ...ports,
      SIMULATOR_PORT: String(simulatorPort),
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      NATS_URL: undefined,
    });
    await waitForReady(`http://127.0.0.1:${ports.GATEWAY_PORT}/health/ready`, platform);
    sim = new SimulatorClient(`http://127.0.0.1:${simulatorPort}`);
  }, 120_000);

  afterAll(async () => {
    await platform?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['en', 'es', 'pt'] as const)(
    '%s: accept, then the opt-out keyword gets exactly one confirmation and the opt-in keyword exactly one welcome back',
    async (code) => {
      const who = user(code, 2, 1);
      const greeting = await sim.send(who.number, who.language.greeting);
      const [prompt] = await sim.waitForMessages(who.number, 1);
      expect(prompt).toMatchObject({ type: 'interactive', context: { message_id: greeting } });
      for (const words of who.language.promptSays) {
        expect(prompt.interactive?.body.text).toContain(words);
      }
      await sim.tap(who.number, ACCEPT(who.language), prompt.id);
      // What the assistant may answer to the admitted message is not this test's business: it counts from here.
      await sleep(QUIET_MS);
      const before = (await sim.messages(who.number)).length;

      const stop = await sim.send(who.number, who.language.optOut);
      const stopAnswered = Date.now();
      const optedOut = (await sim.waitForMessages(who.number, before + 1))[before];
      expect(optedOut).toMatchObject({ type: 'text', context: { message_id: stop } });
      for (const words of who.language.optedOutSays) {
        expect(optedOut.text?.body).toContain(words);
      }

      // WhatsApp dates messages to the second: the user comes back in a later second, as a person would.
      await sleep(Math.max(0, stopAnswered + 1_000 - Date.now()));
      const start = await sim.send(who.number, who.language.optIn);
      const optedIn = (await sim.waitForMessages(who.number, before + 2))[before + 1];
      expect(optedIn).toMatchObject({ type: 'text', context: { message_id: start } });
      for (const words of who.language.optedInSays) {
        expect(optedIn.text?.body).toContain(words);
      }

      await sleep(QUIET_MS);
      // Exactly one confirmation each way, and nothing else since the opt-out.
      const messages = await sim.messages(who.number);
      expect(messages.slice(before).map((message) => message.id)).toEqual([optedOut.id, optedIn.id]);
      expect(messages[0].id).toBe(prompt.id);
      expect(messages.every((message) => message.to === `+${who.number}`)).toBe(true);
      expect(prompt.interactive?.footer?.text).toBe(BUSINESS);
    },
  );

  it('logged no error while it ran', () => {
    expect(platform?.text).not.toMatch(/"level":"(error|fatal)"/);
  });
});
