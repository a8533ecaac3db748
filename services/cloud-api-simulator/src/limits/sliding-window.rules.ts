/**
 * At most `limit` hits per key in any `windowMs`: a sliding log, as Meta's limits slide (a fixed window would let
 * twice the limit through across a boundary). Refused hits are not counted, so a caller that backs off recovers.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  tryAcquire(key: string, nowMs: number): boolean {
    const log = this.hits.get(key) ?? [];
    let expired = 0;
    while (expired < log.length && log[expired] <= nowMs - this.windowMs) {
      expired += 1;
    }
    log.splice(0, expired);
    if (log.length >= this.limit) {
      this.hits.set(key, log);
      return false;
    }
    log.push(nowMs);
    this.hits.set(key, log);
    return true;
  }

  clear(): void {
    this.hits.clear();
  }
}
