/** Only the owning service may answer an rpc subject. */
export class NotOwnerError extends Error {
  override readonly name = 'NotOwnerError';

  constructor(
    readonly subject: string,
    readonly service: string,
    readonly owner: string,
  ) {
    super(`${service} may not serve ${subject}: it is owned by ${owner}`);
  }
}
