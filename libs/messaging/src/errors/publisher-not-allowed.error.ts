/** The producer named in an envelope is not among the contract's publishers (facts: the owner only). */
export class PublisherNotAllowedError extends Error {
  override readonly name = 'PublisherNotAllowedError';

  constructor(
    readonly subject: string,
    readonly producer: string,
    readonly publishers: readonly string[],
  ) {
    super(`${producer} may not publish ${subject}: its publishers are ${publishers.join(', ') || '(none)'}`);
  }
}
