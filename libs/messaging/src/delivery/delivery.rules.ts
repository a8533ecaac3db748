import type { DeliveryOptions } from '../message-bus';

export const DEFAULT_MAX_DELIVER = 5;
export const DEFAULT_BACKOFF_MS: readonly number[] = [100, 500, 2000, 5000];
export const DEFAULT_CONCURRENCY = 16;

export interface ResolvedDelivery {
  readonly maxDeliver: number;
  readonly backoffMs: readonly number[];
  readonly concurrency: number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer`);
  }
  return value;
}

export function resolveDelivery(options: DeliveryOptions): ResolvedDelivery {
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (backoffMs.length === 0 || backoffMs.some((delay) => !Number.isFinite(delay) || delay < 0)) {
    throw new RangeError('backoffMs must list one or more non-negative delays');
  }
  return {
    maxDeliver: positiveInteger('maxDeliver', options.maxDeliver ?? DEFAULT_MAX_DELIVER),
    backoffMs,
    concurrency: positiveInteger('concurrency', options.concurrency ?? DEFAULT_CONCURRENCY),
  };
}

export type FailureOutcome =
  { readonly action: 'retry'; readonly delayMs: number } | { readonly action: 'dead-letter' };

/** What to do after attempt number `attempt` (1-based) failed: retry after the backoff, or give up. */
export function afterFailedAttempt(attempt: number, delivery: ResolvedDelivery): FailureOutcome {
  if (attempt >= delivery.maxDeliver) {
    return { action: 'dead-letter' };
  }
  const index = Math.min(Math.max(attempt, 1), delivery.backoffMs.length) - 1;
  return { action: 'retry', delayMs: delivery.backoffMs[index] ?? 0 };
}

/**
 * A delivery beyond maxDeliver means an earlier attempt never reported back (the process died mid-handler, or
 * dead-lettering itself failed): dead-letter it without running the handler again.
 */
export function attemptsExhausted(attempt: number, delivery: ResolvedDelivery): boolean {
  return attempt > delivery.maxDeliver;
}

/** Durable consumer name: one per (consuming service, subject); NATS names may not contain dots. */
export function durableName(consumer: string, subject: string): string {
  return `${consumer}--${subject.replace(/\./g, '_')}`;
}

/** Where a consumer's failures go: `deadletter.<consumer>.<original subject>`. */
export function deadLetterSubject(consumer: string, subject: string): string {
  return `deadletter.${consumer}.${subject}`;
}

/**
 * Pull flow control: ask for more only once at least half of the handler slots are free, then ask for all free
 * slots. Pulling only what can be handled now keeps replicas sharing the work and nothing waits in a client
 * buffer while its ack deadline runs.
 */
export function pullSize(inFlight: number, concurrency: number): number {
  const free = concurrency - inFlight;
  return free >= Math.ceil(concurrency / 2) ? free : 0;
}

/** In-flight count at or below which the next pull may be made. */
export function pullThreshold(concurrency: number): number {
  return concurrency - Math.ceil(concurrency / 2);
}
