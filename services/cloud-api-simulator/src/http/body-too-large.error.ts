/** A request body over the route's cap; the exchange answers 413 (or the Meta error the route uses). */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Request body over ${limitBytes} bytes`);
  }
}
