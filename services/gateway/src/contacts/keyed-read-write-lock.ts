import { LockWaitTimeoutError } from './lock-wait-timeout.error';

type Mode = 'read' | 'write';

interface Waiter {
  readonly mode: Mode;
  readonly grant: () => void;
}

interface KeyState {
  readers: number;
  writer: boolean;
  readonly queue: Waiter[];
}

/** One request for one key: granted now or later, or withdrawn. */
interface Ticket {
  readonly granted: Promise<void>;
  isGranted(): boolean;
  /** Leaves the queue (only while not granted). */
  withdraw(): void;
}

/**
 * An in-process readers-writer lock per key, FIFO per key: readers share, a writer is alone. A reader that arrives
 * while a writer waits queues behind it (so a stream of readers cannot starve the writer), and the readers queued
 * behind a writer go in together once it is done (so writers cannot starve them either).
 *
 * A writer of several keys queues on all of them at once, synchronously: from that moment no new reader of any of
 * them gets in, so it waits about as long as the slowest reader in flight, not the sum of them one key after the
 * other. Since queueing on all keys happens in one step, any two writers stand in the same order on every key they
 * share: they never wait for each other in a cycle. State exists only for keys in use.
 *
 * Written here rather than taken from npm: async-mutex and async-lock have keyed mutexes but no keyed readers-writer
 * lock, and the readers-writer locks there are (rwlock, @rocicorp/lock) are single-key, so keys, all-keys-at-once
 * writers, cleanup and timeouts would have had to be built around them anyway.
 */
export class KeyedReadWriteLock<K extends string | bigint> {
  private readonly keys = new Map<K, KeyState>();

  /** Runs `work` holding `key` shared; fails with LockWaitTimeoutError if not granted within `timeoutMs`. */
  async read<T>(key: K, work: () => Promise<T>, timeoutMs?: number): Promise<T> {
    await this.granted([this.enqueue(key, 'read')], timeoutMs);
    try {
      return await work();
    } finally {
      this.release(key, 'read');
    }
  }

  /** Runs `work` holding every one of `keys` alone; fails with LockWaitTimeoutError if not all within `timeoutMs`. */
  async write<T>(keys: readonly K[], work: () => Promise<T>, timeoutMs?: number): Promise<T> {
    const unique = [...new Set(keys)];
    await this.granted(
      unique.map((key) => this.enqueue(key, 'write')),
      timeoutMs,
    );
    try {
      return await work();
    } finally {
      for (const key of unique) {
        this.release(key, 'write');
      }
    }
  }

  /** Keys with holders or waiters (for tests and metrics). */
  get activeKeys(): number {
    return this.keys.size;
  }

  /** Waits for every ticket; on timeout withdraws those still waiting and gives back those granted. */
  private async granted(tickets: readonly (Ticket & { readonly key: K; readonly mode: Mode })[], timeoutMs?: number) {
    const all = Promise.all(tickets.map((ticket) => ticket.granted));
    if (timeoutMs === undefined || tickets.every((ticket) => ticket.isGranted())) {
      await all;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      if ((await Promise.race([all, timedOut])) !== 'timeout') {
        return;
      }
    } finally {
      clearTimeout(timer);
    }
    for (const ticket of tickets) {
      if (ticket.isGranted()) {
        this.release(ticket.key, ticket.mode);
      } else {
        ticket.withdraw();
      }
    }
    throw new LockWaitTimeoutError(`lock not granted within ${timeoutMs} ms`);
  }

  private enqueue(key: K, mode: Mode): Ticket & { readonly key: K; readonly mode: Mode } {
    let state = this.keys.get(key);
    if (!state) {
      state = { readers: 0, writer: false, queue: [] };
      this.keys.set(key, state);
    }
    if (state.queue.length === 0 && this.grantable(state, mode)) {
      this.take(state, mode);
      return { key, mode, granted: Promise.resolve(), isGranted: () => true, withdraw: () => undefined };
    }
    const queued = state;
    let isGranted = false;
    let grant!: () => void;
    const granted = new Promise<void>((resolve) => (grant = resolve));
    const waiter: Waiter = {
      mode,
      grant: () => {
        isGranted = true;
        grant();
      },
    };
    queued.queue.push(waiter);
    return {
      key,
      mode,
      granted,
      isGranted: () => isGranted,
      withdraw: () => {
        const index = queued.queue.indexOf(waiter);
        if (index >= 0) {
          queued.queue.splice(index, 1);
          // A writer that gave up may have been all that held readers back.
          this.dispatch(key, queued);
        }
      },
    };
  }

  private release(key: K, mode: Mode): void {
    const state = this.keys.get(key);
    if (!state) {
      return;
    }
    if (mode === 'read') {
      state.readers -= 1;
    } else {
      state.writer = false;
    }
    this.dispatch(key, state);
  }

  /** Grants the head of the queue, and every reader right behind a granted reader. */
  private dispatch(key: K, state: KeyState): void {
    while (state.queue.length > 0 && this.grantable(state, state.queue[0].mode)) {
      const next = state.queue.shift()!;
      this.take(state, next.mode);
      next.grant();
    }
    if (state.readers === 0 && !state.writer && state.queue.length === 0) {
      this.keys.delete(key);
    }
  }

  private grantable(state: KeyState, mode: Mode): boolean {
    return mode === 'read' ? !state.writer : !state.writer && state.readers === 0;
  }

  private take(state: KeyState, mode: Mode): void {
    if (mode === 'read') {
      state.readers += 1;
    } else {
      state.writer = true;
    }
  }
}
