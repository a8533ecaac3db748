/** A readiness check did not answer in time. */
export class ReadinessTimeoutError extends Error {
  override readonly name = 'ReadinessTimeoutError';

  constructor(
    readonly check: string,
    readonly timeoutMs: number,
  ) {
    super(`readiness check "${check}" did not answer within ${timeoutMs} ms`);
  }
}
