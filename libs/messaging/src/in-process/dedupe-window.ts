/**
 * Remembers envelope ids for a fixed window, like a JetStream stream's duplicate window for `msgID`. Ids expire
 * in insertion order, so eviction only ever looks at the oldest entries. Times are monotonic (performance.now()):
 * a wall-clock step (an NTP correction) must not expire every id at once.
 */
export class DedupeWindow {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True the first time an id is seen within the window; false for a duplicate. */
  firstSeen(id: string, now: number = performance.now()): boolean {
    for (const [oldest, expiresAt] of this.expiries) {
      if (expiresAt > now) {
        break;
      }
      this.expiries.delete(oldest);
    }
    if (this.expiries.has(id)) {
      return false;
    }
    this.expiries.set(id, now + this.windowMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }
}
