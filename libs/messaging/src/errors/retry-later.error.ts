/**
 * Thrown by a handler that cannot finish now but knows when to try again (a rate limit's reset, a peer's backoff
 * rule): the delivery is retried after `delayMs` instead of the subscription's fixed backoff. It still counts as an
 * attempt, so give such subscriptions a maxDeliver that fits their retry budget.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';

  constructor(
    readonly delayMs: number,
    readonly reason: string,
  ) {
    super(`retry in ${Math.round(delayMs)} ms: ${reason}`);
  }
}
