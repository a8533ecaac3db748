import fc from 'fast-check';
import {
  AMBIGUOUS_RECHECK_DELAY_MS,
  AUTH_RETRY_DELAY_MS,
  decideAfterFailure,
  isRetryable,
  PAIR_LIMIT_POLICY,
  retryDelayMs,
  type SendFailure,
  type SendFailureAction,
  THROTTLE_POLICY,
  TRANSIENT_RETRY_POLICY,
} from './send-failure.rules';

const half = () => 0.5;
const api = (httpStatus: number, code?: number): SendFailure =>
  code === undefined ? { kind: 'api', httpStatus } : { kind: 'api', httpStatus, code };

describe('decideAfterFailure', () => {
  it.each([
    [131047, 'window-closed'],
    [131026, 'undeliverable'],
    [131050, 'marketing-opt-out'],
    [100, 'rejected'],
    [131008, 'rejected'],
    [131009, 'rejected'],
    [132000, 'rejected'],
    [132001, 'rejected'],
    [132012, 'rejected'],
    [132015, 'rejected'],
    [132016, 'rejected'],
    [131048, 'quality-limited'],
    [131049, 'quality-limited'],
    [131031, 'account-locked'],
  ])('fails for good on code %i (%s)', (code, reason) => {
    expect(decideAfterFailure(api(400, code), 1, half)).toEqual({ action: 'fail', reason });
  });

  it('halts the tenant on 368 (WABA restricted for a policy violation)', () => {
    expect(decideAfterFailure(api(403, 368), 1, half)).toEqual({ action: 'halt-tenant' });
  });

  it.each([[130429], [80007], [4]])('throttles the whole number on %i: 1 s doubling, capped at 60 s', (code) => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 100].map((attempt) => decideAfterFailure(api(400, code), attempt, half));
    expect(delays).toEqual(
      [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000].map((delayMs) => ({
        action: 'throttle-number',
        delayMs,
      })),
    );
  });

  it('retries the pair rate limit (131056) after 4^(attempt-1) s, capped at 15 min', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 10_000].map(
      (attempt) => (decideAfterFailure(api(400, 131056), attempt, half) as { delayMs: number }).delayMs,
    );
    expect(delays).toEqual([1_000, 4_000, 16_000, 64_000, 256_000, 900_000, 900_000, 900_000]);
    expect(decideAfterFailure(api(400, 131056), 1, half).action).toBe('retry');
  });

  it.each([[131000], [131016], [131057]])('retries %i with full-jitter backoff', (code) => {
    expect(decideAfterFailure(api(500, code), 3, half)).toEqual({ action: 'retry', delayMs: 2_000 });
    expect(decideAfterFailure(api(400, code), 1, () => 0.999)).toEqual({ action: 'retry', delayMs: 999 });
  });

  it.each([[190], [0]])('retries auth failure %i after a long delay, so a token rotation loses nothing', (code) => {
    expect(decideAfterFailure(api(401, code), 1, half)).toEqual({ action: 'retry', delayMs: AUTH_RETRY_DELAY_MS });
    expect(decideAfterFailure(api(400, code), 50, half)).toEqual({ action: 'retry', delayMs: 5 * 60_000 });
  });

  it('decides by code whatever the HTTP status says', () => {
    expect(decideAfterFailure(api(500, 131047), 1, half)).toEqual({ action: 'fail', reason: 'window-closed' });
    expect(decideAfterFailure(api(200, 130429), 1, half).action).toBe('throttle-number');
    expect(decideAfterFailure(api(400, 131000), 1, half).action).toBe('retry');
  });

  it.each([
    [400, { action: 'fail', reason: 'rejected' }],
    [403, { action: 'fail', reason: 'rejected' }],
    [404, { action: 'fail', reason: 'rejected' }],
    [499, { action: 'fail', reason: 'rejected' }],
    [302, { action: 'fail', reason: 'rejected' }],
    [100, { action: 'fail', reason: 'rejected' }],
    [600, { action: 'fail', reason: 'rejected' }],
    [429, { action: 'throttle-number', delayMs: THROTTLE_POLICY.baseMs }],
    [401, { action: 'retry', delayMs: AUTH_RETRY_DELAY_MS }],
    [408, { action: 'retry', delayMs: 500 }],
    [500, { action: 'retry', delayMs: 500 }],
    [503, { action: 'retry', delayMs: 500 }],
    [599, { action: 'retry', delayMs: 500 }],
    [200, { action: 'ambiguous', delayMs: AMBIGUOUS_RECHECK_DELAY_MS }],
    [299, { action: 'ambiguous', delayMs: AMBIGUOUS_RECHECK_DELAY_MS }],
  ])('without a Meta code, decides HTTP %i by status', (httpStatus, action) => {
    expect(decideAfterFailure(api(httpStatus), 1, half)).toEqual(action);
  });

  it.each([
    [400, 'fail'],
    [500, 'retry'],
    [502, 'retry'],
    [429, 'throttle-number'],
    [401, 'retry'],
  ])('decides an unknown code by HTTP %i: %s', (httpStatus, action) => {
    expect(decideAfterFailure(api(httpStatus, 131052), 1, half).action).toBe(action);
    expect(decideAfterFailure(api(httpStatus, 10), 1, half).action).toBe(action);
  });

  it('retries a connection that failed before sending, and rechecks one that failed after', () => {
    expect(decideAfterFailure({ kind: 'network', requestSent: false }, 2, half)).toEqual({
      action: 'retry',
      delayMs: 1_000,
    });
    expect(decideAfterFailure({ kind: 'network', requestSent: true }, 2, half)).toEqual({
      action: 'ambiguous',
      delayMs: AMBIGUOUS_RECHECK_DELAY_MS,
    });
    expect(decideAfterFailure({ kind: 'timeout' }, 9, half)).toEqual({ action: 'ambiguous', delayMs: 30_000 });
  });

  it.each([[0], [-3], [Number.NaN], [Number.NEGATIVE_INFINITY], [1.9]])('treats attempt %p as the first', (attempt) => {
    expect(decideAfterFailure(api(400, 131056), attempt, half)).toEqual({ action: 'retry', delayMs: 1_000 });
    expect(decideAfterFailure(api(400, 130429), attempt, half)).toEqual({ action: 'throttle-number', delayMs: 1_000 });
  });

  it('uses Math.random when no source is given', () => {
    const action = decideAfterFailure(api(503), 4) as { delayMs: number };
    expect(action.delayMs).toBeGreaterThanOrEqual(1);
    expect(action.delayMs).toBeLessThanOrEqual(8_000);
  });

  it('always returns a finite, positive delay for retryable actions', () => {
    const failure: fc.Arbitrary<SendFailure> = fc.oneof(
      fc.record({ kind: fc.constant('api' as const), httpStatus: fc.integer({ min: 0, max: 999 }) }),
      fc.record({
        kind: fc.constant('api' as const),
        httpStatus: fc.integer({ min: 0, max: 999 }),
        code: fc.oneof(fc.integer(), fc.constantFrom(4, 0, 190, 368, 80007, 130429, 131000, 131047, 131056)),
      }),
      fc.record({ kind: fc.constant('network' as const), requestSent: fc.boolean() }),
      fc.constant({ kind: 'timeout' as const }),
    );
    fc.assert(
      fc.property(failure, fc.double(), fc.double({ min: 0, max: 1, maxExcluded: true }), (f, attempt, draw) => {
        const action = decideAfterFailure(f, attempt, () => draw);
        if (isRetryable(action)) {
          const { delayMs } = action as { delayMs: number };
          expect(Number.isFinite(delayMs)).toBe(true);
          expect(delayMs).toBeGreaterThanOrEqual(1);
          expect(delayMs).toBeLessThanOrEqual(PAIR_LIMIT_POLICY.capMs);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('retryDelayMs', () => {
  const policy = { baseMs: 100, capMs: 10_000 };

  it('draws from [0, min(cap, base*2^(attempt-1))), rounded down, floored at 1 ms', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, half))).toEqual([50, 100, 200, 400]);
    expect(retryDelayMs(1, policy, () => 0)).toBe(1);
    expect(retryDelayMs(1, policy, () => 0.999999)).toBe(99);
    expect(retryDelayMs(20, policy, () => 0.999999)).toBe(9_999);
    expect(retryDelayMs(2_000, policy, half)).toBe(5_000);
  });

  it('clamps a broken random source into the range', () => {
    expect(retryDelayMs(3, policy, () => 2)).toBe(400);
    expect(retryDelayMs(3, policy, () => -1)).toBe(1);
    expect(retryDelayMs(3, policy, () => Number.NaN)).toBe(1);
    expect(retryDelayMs(3, policy, () => Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('never exceeds a cap below 1 ms', () => {
    expect(retryDelayMs(5, { baseMs: 100, capMs: 0 }, half)).toBe(0);
    expect(retryDelayMs(5, { baseMs: 0, capMs: 1000 }, half)).toBe(1);
  });

  it.each([
    [{ baseMs: -1, capMs: 10 }],
    [{ baseMs: 1, capMs: -10 }],
    [{ baseMs: Number.NaN, capMs: 10 }],
    [{ baseMs: 1, capMs: Number.POSITIVE_INFINITY }],
  ])('refuses the policy %p', (bad) => {
    expect(() => retryDelayMs(1, bad, half)).toThrow(RangeError);
  });

  it('exports the transient policy used for 5xx and connection failures', () => {
    expect(TRANSIENT_RETRY_POLICY).toEqual({ baseMs: 1_000, capMs: 60_000 });
  });

  it('always stays within [0, cap] and under the exponential ceiling', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -5, max: 10_000 }), fc.double()),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.oneof(fc.double(), fc.double({ min: 0, max: 1, maxExcluded: true })),
        (attempt, baseMs, capMs, draw) => {
          const delay = retryDelayMs(attempt, { baseMs, capMs }, () => draw);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(capMs);
          const first = Number.isFinite(attempt) && attempt >= 1 ? Math.floor(attempt) : 1;
          expect(delay).toBeLessThanOrEqual(
            Math.max(Math.min(1, capMs), baseMs === 0 ? 0 : Math.min(capMs, baseMs * 2 ** (first - 1))),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('isRetryable', () => {
  it.each<[SendFailureAction, boolean]>([
    [{ action: 'throttle-number', delayMs: 1 }, true],
    [{ action: 'retry', delayMs: 1 }, true],
    [{ action: 'ambiguous', delayMs: 1 }, true],
    [{ action: 'fail', reason: 'rejected' }, false],
    [{ action: 'halt-tenant' }, false],
  ])('%j → %p', (action, retryable) => {
    expect(isRetryable(action)).toBe(retryable);
  });
});
