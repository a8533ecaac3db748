import { OpenFailedError } from './open-failed.error';

/**
 * A bus payload sealed by the TransitCipher in an epoch older than the transit window (or too far in the future):
 * treat the data as gone. This is how an erasure reaches in-flight and dead-lettered events.
 */
export class TransitExpiredError extends OpenFailedError {
  override readonly name = 'TransitExpiredError';

  constructor(readonly field: string) {
    super(`${field}: sealed in transit outside the retention window, the data is gone`);
  }
}
