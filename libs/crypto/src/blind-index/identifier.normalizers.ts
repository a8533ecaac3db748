import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { InvalidIdentifierError } from '../errors/invalid-identifier.error';

/**
 * E.164 (`+5511987654321`). Numbers without a leading `+` are read in `defaultRegion`. Only numbers that are valid
 * for their region are accepted, so two spellings of one number always give the same index.
 */
export function normalizePhone(value: string, defaultRegion?: CountryCode): string {
  const parsed = parsePhoneNumberFromString(value.trim(), defaultRegion);
  if (parsed === undefined) {
    throw new InvalidIdentifierError(
      'phone',
      defaultRegion ? 'not a phone number' : 'not a phone number (no region given)',
    );
  }
  if (!parsed.isValid()) {
    throw new InvalidIdentifierError('phone', 'not a valid number for its region');
  }
  return parsed.number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Trimmed and lower-cased, nothing else: plus-addressing and dots are kept, because whether `a.b+x@` and `ab@`
 * reach the same person depends on the provider, and merging two people's data would be worse than missing a match.
 */
export function normalizeEmail(value: string): string {
  const normalized = value.trim().normalize('NFC').toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized)) {
    throw new InvalidIdentifierError('email', 'not an email address');
  }
  return normalized;
}
