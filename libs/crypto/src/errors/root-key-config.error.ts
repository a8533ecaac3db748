/** Root keys missing or malformed at start-up. Names the variable, never its value. */
export class RootKeyConfigError extends Error {
  override readonly name = 'RootKeyConfigError';

  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}
