import { OpenFailedError } from './open-failed.error';

/** The ciphertext was sealed for another place (tenant, subject, field or row): it was moved or copied there. */
export class WrongContextError extends OpenFailedError {
  override readonly name = 'WrongContextError';

  constructor(readonly field: string) {
    super(`ciphertext of ${field} was sealed for another tenant, subject, field or row`);
  }
}
