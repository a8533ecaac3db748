import { OpenFailedError } from './open-failed.error';

/** No key with the ciphertext's key id (or the wrapping root key version) exists and none was erased. */
export class UnknownKeyError extends OpenFailedError {
  override readonly name = 'UnknownKeyError';

  constructor(readonly what: string) {
    super(`no key for ${what}`);
  }
}
