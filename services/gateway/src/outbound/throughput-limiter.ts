import { Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { BusinessNumber } from '../tenants/tenant-directory';

/** Longest a send waits in-process for its number's next slot before handing the message back for later. */
const MAX_WAIT_MS = 2_000;

/**
 * Messages per second per business number (Meta: 80 by default, 1,000 after the upgrade; the limit covers all of
 * the number's traffic). rate-limiter-flexible's in-memory limiter per number, plus a pause set when Meta itself
 * says the number is throttled (130429, 80007, 4). The limit is this process's: with several gateway replicas,
 * give each WHATSAPP_THROUGHPUT_MPS / replicas.
 */
@Injectable()
export class ThroughputLimiter {
  private readonly limiters = new Map<number, RateLimiterMemory>();
  private readonly pausedUntil = new Map<string, number>();

  /** Resolves 0 when a slot is taken (after waiting up to 2 s), or the delay after which to try again. */
  async acquire(number: BusinessNumber): Promise<number> {
    const deadline = Date.now() + MAX_WAIT_MS;
    for (;;) {
      const paused = (this.pausedUntil.get(number.phoneNumberId) ?? 0) - Date.now();
      if (paused > 0) {
        if (Date.now() + paused > deadline) {
          return paused;
        }
        await sleep(paused);
        continue;
      }
      try {
        await this.limiter(number.throughputMps).consume(number.phoneNumberId, 1);
        return 0;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          throw rejection;
        }
        const wait = Math.max(1, rejection.msBeforeNext);
        if (Date.now() + wait > deadline) {
          return wait;
        }
        await sleep(wait);
      }
    }
  }

  /** Meta throttled the number: no sends from it here until `delayMs` has passed. */
  pause(number: BusinessNumber, delayMs: number): void {
    const until = Date.now() + delayMs;
    if (until > (this.pausedUntil.get(number.phoneNumberId) ?? 0)) {
      this.pausedUntil.set(number.phoneNumberId, until);
    }
  }

  private limiter(mps: number): RateLimiterMemory {
    let limiter = this.limiters.get(mps);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: mps, duration: 1 });
      this.limiters.set(mps, limiter);
    }
    return limiter;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
