/**
 * A client waited too long for the embedded database's single session. Usually a transaction that is waiting on
 * another query which itself needs the session (a deadlock by construction), or one very long transaction.
 */
export class SessionWaitTimeoutError extends Error {
  override readonly name = 'SessionWaitTimeoutError';

  constructor(readonly waitedMs: number) {
    super(`waited ${waitedMs} ms for the embedded database session; is a transaction waiting on another query?`);
  }
}
