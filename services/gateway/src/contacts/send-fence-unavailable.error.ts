/**
 * A send could not take its contact's fence: a hold change for the contact is in progress and outlasted the wait
 * (`hold-change`), or the fence's database connection broke while the send held it (`connection-lost`). Nothing was
 * sent; the command is to be tried again after `retryInMs`.
 */
export class SendFenceUnavailableError extends Error {
  override readonly name = 'SendFenceUnavailableError';

  constructor(
    readonly why: 'hold-change' | 'connection-lost',
    readonly retryInMs: number,
  ) {
    super(`send fence unavailable (${why}): retry in ${retryInMs} ms`);
  }
}
