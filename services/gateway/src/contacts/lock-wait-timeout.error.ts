/** A lock not granted within the caller's time limit. */
export class LockWaitTimeoutError extends Error {
  override readonly name = 'LockWaitTimeoutError';
}
