/**
 * An outbound message (or its recipient/options) the Cloud API would refuse. `problems` name the field and the limit
 * broken (e.g. `buttons[1].title must be 1..20 characters`), never the value: messages carry personal data.
 */
export class InvalidOutboundMessageError extends Error {
  override readonly name = 'InvalidOutboundMessageError';

  constructor(readonly problems: string[]) {
    super(`invalid outbound message: ${problems.join('; ')}`);
  }
}
