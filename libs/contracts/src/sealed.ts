import { Matches, MaxLength } from 'class-validator';

/**
 * Personal data inside an event travels sealed: the text form of a ciphertext made by the crypto library
 * (`tl1.` + base64url parts). Contracts type such fields as `Sealed` so a clear value fails validation.
 */
export type Sealed = string & { readonly __sealed: unique symbol };

export const SEALED_PATTERN = /^tl\d+\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function IsSealed(maxLength = 1_048_576): PropertyDecorator {
  return (target, key) => {
    Matches(SEALED_PATTERN, { message: `${String(key)} must be a sealed value` })(target, key);
    MaxLength(maxLength)(target, key);
  };
}
