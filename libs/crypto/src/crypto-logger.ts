/** The slice of a pino logger the crypto lib uses. It never receives key material, plaintext or identifiers. */
export interface CryptoLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const ignore = (): void => undefined;

export const noopCryptoLogger: CryptoLogger = { info: ignore, warn: ignore };
