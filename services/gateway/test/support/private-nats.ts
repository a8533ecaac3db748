import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './gateway-harness';
import { sleep } from './wait';

const BINARY = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find((path) =>
  existsSync(path),
);

/** A nats-server with JetStream of the test's own (file store kept across restarts), so a test can take it down. */
export class PrivateNats {
  private process: ChildProcess | undefined;
  private readonly storeDir = mkdtempSync(join(tmpdir(), 'nats-store-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateNats> {
    if (!BINARY) {
      throw new Error('nats-server is not installed (.ci/run installs the Debian package)');
    }
    const nats = new PrivateNats(await freePort());
    await nats.up();
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.process = spawn(BINARY!, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i += 1) {
      if (await listening(this.port)) {
        return;
      }
      await sleep(50);
    }
    throw new Error('private nats-server did not start');
  }

  async down(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.down();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
