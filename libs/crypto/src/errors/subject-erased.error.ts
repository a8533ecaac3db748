import { OpenFailedError } from './open-failed.error';

/** The subject's key was destroyed (crypto-shredding): treat the data as gone. */
export class SubjectErasedError extends OpenFailedError {
  override readonly name = 'SubjectErasedError';

  constructor(readonly field: string) {
    super(`${field}: the subject was erased, the data is gone`);
  }
}
