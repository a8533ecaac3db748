/** The bus cannot be used: not started yet, closed, or its transport is down. */
export class BusUnavailableError extends Error {
  override readonly name = 'BusUnavailableError';

  constructor(reason: string, options?: ErrorOptions) {
    super(`message bus unavailable: ${reason}`, options);
  }
}
