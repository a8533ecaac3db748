/** What a root key wrapped: bound into the wrapping (AAD / KMS encryption context / Vault transit context). */
export interface WrapContext {
  readonly tenantId: string;
  /** What the wrapped key is for, e.g. `tenant-wrapping` or `tenant-index`. */
  readonly purpose: string;
}

/** A data key wrapped by a root key version. `ciphertext` is opaque to callers (provider-specific). */
export interface WrappedKey {
  readonly rootKeyVersion: number;
  readonly ciphertext: Buffer;
}

/**
 * The root of the key hierarchy. Shaped like a KMS or Vault transit key: encrypt/decrypt of small data keys under a
 * named key with versions, one of which encrypts. The plaintext root key never has to leave the provider, so a
 * remote implementation fits without changing callers. Implementations must fail with UnknownKeyError for a version
 * they do not hold and with TamperedCiphertextError when the wrapped key does not authenticate.
 */
export interface KeyProvider {
  /** Shown in logs and metrics (`local`, `vault-transit`, `aws-kms`…). */
  readonly name: string;
  /** The version new wraps use. */
  readonly activeVersion: number;
  wrap(plaintextKey: Buffer, context: WrapContext): Promise<WrappedKey>;
  unwrap(wrapped: WrappedKey, context: WrapContext): Promise<Buffer>;
}
