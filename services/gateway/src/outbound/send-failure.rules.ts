import type { OutboundFailureReasonName } from '@trustline/contracts';

/*
 * What to do when a Cloud API send fails, by Meta's error code first (Meta: "build your app's error handling around
 * error codes instead of subcodes or HTTP response status codes"), by HTTP status only when the code is unknown or
 * absent. Codes and handling from the reference's error table (section 3) and rate limits (section 4).
 */

export type SendFailure =
  /** Meta answered with an error; `code` is absent when the body was not Meta's error shape. */
  | { kind: 'api'; httpStatus: number; code?: number }
  /** The connection failed; `requestSent` is false only when no byte of the request left (refused, DNS...). */
  | { kind: 'network'; requestSent: boolean }
  /** No answer in time: Meta may or may not have accepted the message. */
  | { kind: 'timeout' };

/** The reasons of gateway.outbound.failed.v1 (the wire contract is the one list). */
export type OutboundFailureReason = OutboundFailureReasonName;

export type SendFailureAction =
  /** The number hit a throughput or rate limit: pause every send of that business number, then retry. */
  | { action: 'throttle-number'; delayMs: number }
  /** Transient: retry this message after the delay. */
  | { action: 'retry'; delayMs: number }
  /** The outcome is unknown: after the delay, check for a status webhook before resending (no duplicate). */
  | { action: 'ambiguous'; delayMs: number }
  /** Final: the message will not be sent. */
  | { action: 'fail'; reason: OutboundFailureReason }
  /** The WABA is restricted for a policy violation: stop this tenant's sending and alert. */
  | { action: 'halt-tenant' };

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/** 130429 / 80007 / 4: throughput or rate limits reset within seconds; 1 s doubling, capped at a minute. */
export const THROTTLE_POLICY: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };
/** 131056 pair limit: Meta says retry after 4^X seconds, X = 0, 1, 2...; capped at 15 minutes. */
export const PAIR_LIMIT_POLICY = { baseMs: 1_000, factor: 4, capMs: 15 * 60_000 } as const;
/** 5xx, 131000 / 131016 / 131057, connection failures before sending. */
export const TRANSIENT_RETRY_POLICY: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };
/** 190 / 0 (token expired, auth failure): a token rotation takes minutes; retry slowly rather than lose the message. */
export const AUTH_RETRY_DELAY_MS = 5 * 60_000;
/** Timeout or reset after sending: long enough for the sent/failed status webhook to arrive before re-checking. */
export const AMBIGUOUS_RECHECK_DELAY_MS = 30_000;

const THROTTLE_CODES = new Set([130429, 80007, 4]);
const PAIR_LIMIT_CODE = 131056;
const TRANSIENT_CODES = new Set([131000, 131016, 131057]);
const AUTH_CODES = new Set([190, 0]);
const POLICY_HALT_CODE = 368;
const FINAL_CODES = new Map<number, OutboundFailureReason>([
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
]);

/** A 1-based attempt number; anything else (0, negative, fractional, NaN) counts as the first attempt. */
function attemptNumber(attempt: number): number {
  return Number.isFinite(attempt) && attempt >= 1 ? Math.floor(attempt) : 1;
}

/** base × factor^(attempt−1), capped (an overflow to Infinity is capped too). */
function exponential(attempt: number, baseMs: number, factor: number, capMs: number): number {
  if (baseMs === 0) {
    return 0; // 0 × Infinity would be NaN for huge attempts
  }
  return Math.min(capMs, baseMs * factor ** (attemptNumber(attempt) - 1));
}

/**
 * Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * random() × min(cap, base × 2^(attempt−1)), rounded down, at least 1 ms (0 would mean "now", which a queue may
 * treat as no delay at all) and at most cap. Full jitter spreads the retries of many workers that failed together
 * (a Meta 5xx burst) instead of having them retry in lockstep.
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const { baseMs, capMs } = policy;
  if (!Number.isFinite(baseMs) || !Number.isFinite(capMs) || baseMs < 0 || capMs < 0) {
    throw new RangeError('backoff policy needs finite, non-negative baseMs and capMs');
  }
  const ceiling = exponential(attempt, baseMs, 2, capMs);
  const draw = random();
  // A broken random source must not produce a negative, NaN or over-cap delay.
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.min(capMs, Math.max(1, Math.floor(unit * ceiling)));
}

function byHttpStatus(httpStatus: number, attempt: number, random: () => number): SendFailureAction {
  if (httpStatus === 429) {
    return {
      action: 'throttle-number',
      delayMs: exponential(attempt, THROTTLE_POLICY.baseMs, 2, THROTTLE_POLICY.capMs),
    };
  }
  if (httpStatus === 401) {
    return { action: 'retry', delayMs: AUTH_RETRY_DELAY_MS };
  }
  if (httpStatus === 408 || (httpStatus >= 500 && httpStatus <= 599)) {
    return { action: 'retry', delayMs: retryDelayMs(attempt, TRANSIENT_RETRY_POLICY, random) };
  }
  if (httpStatus >= 200 && httpStatus <= 299) {
    // A success status without Meta's success body: the message may well have been accepted.
    return { action: 'ambiguous', delayMs: AMBIGUOUS_RECHECK_DELAY_MS };
  }
  // Other 4xx, and statuses Meta never sends (1xx, 3xx): resending the same request cannot succeed.
  return { action: 'fail', reason: 'rejected' };
}

/**
 * The action after send attempt `attempt` (1-based) failed. Throttling delays are not jittered: they are the
 * minimum wait Meta asks for, and one pause covers the whole number. Giving up after too many attempts is the
 * caller's decision ('retries-exhausted'), as is the message's own deadline ('expired').
 */
export function decideAfterFailure(
  failure: SendFailure,
  attempt: number,
  random: () => number = Math.random,
): SendFailureAction {
  switch (failure.kind) {
    case 'timeout':
      return { action: 'ambiguous', delayMs: AMBIGUOUS_RECHECK_DELAY_MS };
    case 'network':
      return failure.requestSent
        ? { action: 'ambiguous', delayMs: AMBIGUOUS_RECHECK_DELAY_MS }
        : { action: 'retry', delayMs: retryDelayMs(attempt, TRANSIENT_RETRY_POLICY, random) };
    case 'api': {
      const { code, httpStatus } = failure;
      if (code === undefined) {
        return byHttpStatus(httpStatus, attempt, random);
      }
      if (THROTTLE_CODES.has(code)) {
        return {
          action: 'throttle-number',
          delayMs: exponential(attempt, THROTTLE_POLICY.baseMs, 2, THROTTLE_POLICY.capMs),
        };
      }
      if (code === PAIR_LIMIT_CODE) {
        const { baseMs, factor, capMs } = PAIR_LIMIT_POLICY;
        return { action: 'retry', delayMs: exponential(attempt, baseMs, factor, capMs) };
      }
      if (TRANSIENT_CODES.has(code)) {
        return { action: 'retry', delayMs: retryDelayMs(attempt, TRANSIENT_RETRY_POLICY, random) };
      }
      if (AUTH_CODES.has(code)) {
        return { action: 'retry', delayMs: AUTH_RETRY_DELAY_MS };
      }
      if (code === POLICY_HALT_CODE) {
        return { action: 'halt-tenant' };
      }
      const reason = FINAL_CODES.get(code);
      return reason === undefined ? byHttpStatus(httpStatus, attempt, random) : { action: 'fail', reason };
    }
  }
}

/** Whether the message stays queued for another attempt (throttle, retry, ambiguous) rather than ending here. */
export function isRetryable(action: SendFailureAction): boolean {
  switch (action.action) {
    case 'throttle-number':
    case 'retry':
    case 'ambiguous':
      return true;
    case 'fail':
    case 'halt-tenant':
      return false;
  }
}
