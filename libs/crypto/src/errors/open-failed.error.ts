/**
 * Base of every failure to open a ciphertext. Callers that only need "could not read it" catch this; the subclasses
 * say why. Messages name the place (field, key id), never plaintext or key material.
 */
export class OpenFailedError extends Error {}
