/**
 * A webhook body that is not the Cloud API envelope. `problems` name JSON paths and the rule broken (e.g.
 * `entry[0].changes must be an array`), never a value: bodies carry phone numbers and message text.
 */
export class WebhookShapeError extends Error {
  override readonly name = 'WebhookShapeError';

  constructor(readonly problems: string[]) {
    super(`webhook body has an unexpected shape: ${problems.join('; ')}`);
  }
}
