import { OpenFailedError } from './open-failed.error';

/** The ciphertext is malformed or fails authentication under the right key and place: it was altered. */
export class TamperedCiphertextError extends OpenFailedError {
  override readonly name = 'TamperedCiphertextError';

  constructor(readonly field: string) {
    super(`ciphertext of ${field} failed authentication (altered or truncated)`);
  }
}
