import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');

export const SERVICE_NAMES = ['gateway', 'consent', 'conversation-ai', 'retention', 'dsar', 'audit'] as const;

export const portVariable = (service: string): string => `${service.toUpperCase().replace(/-/g, '_')}_PORT`;

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

/** Ports a service listens on besides its HTTP port: consent's gRPC API. */
export const EXTRA_PORT_VARIABLES = ['CONSENT_GRPC_PORT'] as const;

/**
 * One free port per listener, as the `<SERVICE>_PORT` variables plus {@link EXTRA_PORT_VARIABLES}, so that system
 * tests running side by side (standalone and distributed) never bind the same default port.
 */
export async function servicePorts(): Promise<Record<string, string>> {
  const variables = [...SERVICE_NAMES.map(portVariable), ...EXTRA_PORT_VARIABLES];
  const entries = await Promise.all(variables.map(async (variable) => [variable, String(await freePort())]));
  return Object.fromEntries(entries) as Record<string, string>;
}

/** One root key for every process this test run starts: services must share keys to open each other's events. */
export const TEST_ROOT_KEYS = `v1:${randomBytes(32).toString('base64')}`;

/** A child process whose output is kept for assertions (and shown when a test fails). */
export class PlatformProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(script: string, env: NodeJS.ProcessEnv) {
    // `undefined` unsets a variable the test runner's environment may have.
    const merged = Object.entries({
      ...process.env,
      LOG_LEVEL: 'info',
      CRYPTO_ROOT_KEYS: TEST_ROOT_KEYS,
      ...env,
    }).filter(([, value]) => value !== undefined);
    // Its own process group, so that clean-up can kill what it started too: the distributed launcher's six services
    // and simulator outlive a SIGKILLed launcher otherwise, holding jest's output pipes (jest then never exits).
    this.child = spawn(process.execPath, [join(repoRoot, script)], {
      cwd: repoRoot,
      env: Object.fromEntries(merged),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  get text(): string {
    return this.output.join('');
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Kills it and every process it started, if it is still running (test clean-up). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.killGroup();
      await this.exited;
    }
    // The launcher may have exited on its own and left children behind.
    this.killGroup();
  }

  private killGroup(): void {
    if (this.child.pid === undefined) {
      return;
    }
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }
}

/** Polls a URL until it answers 200, returning the JSON body; fails with the process output on timeout. */
export async function waitForReady(url: string, process: PlatformProcess, timeoutMs = 90_000): Promise<unknown> {
  // Monotonic, so that a wall-clock correction cannot end the wait early.
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void process.exited.finally(() => {
    exited = true;
  });
  while (performance.now() < deadline && !exited) {
    try {
      const response = await fetch(url);
      if (response.status === 200) {
        return await response.json();
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `${url} never became ready${exited ? ' (the process exited)' : ''}. Output:\n${process.text.slice(-4000)}`,
  );
}
