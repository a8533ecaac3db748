import { Matches } from 'class-validator';

/**
 * A data subject is referred to on the bus by an opaque reference (a blind index or a generated id made by the
 * owner), never by a phone number or a name: base64url or hex, 16–128 characters.
 */
export const SUBJECT_REF_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function IsSubjectRef(): PropertyDecorator {
  return Matches(SUBJECT_REF_PATTERN, { message: ({ property }) => `${property} must be a subject reference` });
}
