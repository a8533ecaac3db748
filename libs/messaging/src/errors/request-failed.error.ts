/**
 * The responder's handler failed. Carries the remote error's class name only (and, for a contract violation,
 * the offending field names): remote error messages may hold personal data.
 */
export class RequestFailedError extends Error {
  override readonly name = 'RequestFailedError';

  constructor(
    readonly subject: string,
    readonly remoteError: string,
    readonly detail?: string,
  ) {
    super(`request ${subject} failed in its responder with ${remoteError}${detail ? `: ${detail}` : ''}`);
  }
}
