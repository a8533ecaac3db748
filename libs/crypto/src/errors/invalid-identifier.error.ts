/** A phone number or email address that cannot be normalized for the blind index. Never carries the value. */
export class InvalidIdentifierError extends Error {
  override readonly name = 'InvalidIdentifierError';

  constructor(
    readonly kind: 'phone' | 'email',
    reason: string,
  ) {
    super(`invalid ${kind}: ${reason}`);
  }
}
