/** A subject was used through the wrong API: events go through publish/consume, rpc through request/serve. */
export class ContractKindError extends Error {
  override readonly name = 'ContractKindError';

  constructor(
    readonly subject: string,
    readonly kind: string,
    readonly operation: string,
  ) {
    super(`${subject} is a ${kind} contract: ${operation} is not available for it`);
  }
}
