/** A phone number, email address or WhatsApp user id that cannot be normalized for the blind index. Never carries the value. */
export class InvalidIdentifierError extends Error {
  override readonly name = 'InvalidIdentifierError';

  constructor(
    readonly kind: 'phone' | 'email' | 'wa-id' | 'bsuid',
    reason: string,
  ) {
    super(`invalid ${kind}: ${reason}`);
  }
}
