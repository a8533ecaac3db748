/** Nobody serves the subject right now (owner not running or not ready). */
export class NoResponderError extends Error {
  override readonly name = 'NoResponderError';

  constructor(readonly subject: string) {
    super(`request ${subject} has no responder: its owner is not serving it`);
  }
}
