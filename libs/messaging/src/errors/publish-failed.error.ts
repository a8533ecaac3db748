/** The stream did not acknowledge a publish: no stream captures the subject, no PubAck in time, or a stream limit. */
export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';

  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`publish to ${subject} failed: ${reason}`);
  }
}
