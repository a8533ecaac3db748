/**
 * Counts handler promises in flight so that pulling can wait for free slots and shutdown can wait for the
 * handlers to finish. Tracked promises must not reject (handlers' errors are dealt with before they get here).
 */
export class InFlight {
  private count = 0;
  private waiters: { limit: number; resolve: () => void }[] = [];

  get size(): number {
    return this.count;
  }

  track(work: Promise<unknown>): void {
    this.count += 1;
    const leave = (): void => {
      this.count -= 1;
      this.wake();
    };
    void work.then(leave, leave);
  }

  /** Resolves once at most `limit` are in flight. */
  atMost(limit: number): Promise<void> {
    if (this.count <= limit) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ limit, resolve }));
  }

  idle(): Promise<void> {
    return this.atMost(0);
  }

  private wake(): void {
    if (this.waiters.length === 0) {
      return;
    }
    const ready = this.waiters.filter((waiter) => this.count <= waiter.limit);
    if (ready.length === 0) {
      return;
    }
    this.waiters = this.waiters.filter((waiter) => this.count > waiter.limit);
    for (const waiter of ready) {
      waiter.resolve();
    }
  }
}
