import { SessionWaitTimeoutError } from './session-wait-timeout.error';

interface Waiter {
  grant(release: () => void): void;
}

/**
 * A FIFO mutex over the one backend session of an embedded PGlite. Every DataSource on that PGlite holds it from
 * client checkout to release, so a transaction opened by one service can never see another service's statements.
 */
export class SessionLock {
  private held = false;
  private readonly waiters: Waiter[] = [];

  /** Whether some client holds the session right now. */
  get isHeld(): boolean {
    return this.held;
  }

  /** How many clients wait for the session. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once the session is ours; rejects after `timeoutMs` (0 = wait forever). */
  acquire(timeoutMs = 0): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        grant: (release) => {
          if (timer) {
            clearTimeout(timer);
          }
          resolve(release);
        },
      };
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) {
            this.waiters.splice(index, 1);
          }
          reject(new SessionWaitTimeoutError(timeoutMs));
        }, timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  /** Runs `work` while holding the session. */
  async runExclusive<T>(work: () => Promise<T>, timeoutMs = 0): Promise<T> {
    const release = await this.acquire(timeoutMs);
    try {
      return await work();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.waiters.shift();
      if (next) {
        next.grant(this.releaser());
      } else {
        this.held = false;
      }
    };
  }
}
