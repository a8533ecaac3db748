/** No reply arrived in time: the responder is slow, stuck or went away mid-request. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';

  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`request ${subject} got no reply within ${timeoutMs} ms`);
  }
}
