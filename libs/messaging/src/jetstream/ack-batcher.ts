/**
 * Coalesces acks (and naks, terms) into one socket write. nats.js flushes its outbound buffer in a microtask queued
 * by the first command after a flush, so acks issued one by one as handlers finish, each in its own microtask,
 * cost one write each; acks issued together in one callback share a write. Deferring to process.nextTick waits
 * for the current microtasks to drain, not for I/O.
 */
export class AckBatcher {
  private pending: (() => void)[] = [];
  private scheduled = false;

  defer(action: () => void): void {
    this.pending.push(action);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const actions = this.pending;
    this.pending = [];
    for (const action of actions) {
      try {
        action();
      } catch {
        // The connection closed under us: the server redelivers what was not acknowledged.
      }
    }
  };
}
