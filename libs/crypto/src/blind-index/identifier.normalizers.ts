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

const WA_ID = /^\+?(\d{6,20})$/;

/**
 * A WhatsApp id (`wa_id`, `from`): Meta's canonical digits, with or without `+`. Written as E.164 without a
 * validity check — Meta has already resolved the number, and a range newer than the phone metadata must not make
 * a user unreachable. A valid number gives the same text as normalizePhone, so both share the `phone` index.
 */
export function normalizeWaId(value: string): string {
  const match = WA_ID.exec(value.trim());
  if (!match) {
    throw new InvalidIdentifierError('wa-id', 'not a WhatsApp id');
  }
  return `+${match[1]}`;
}

const BSUID = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;

/** A business-scoped user id (`US.13491208655302741918`): exact, case-sensitive. */
export function normalizeBsuid(value: string): string {
  const trimmed = value.trim();
  if (!BSUID.test(trimmed)) {
    throw new InvalidIdentifierError('bsuid', 'not a business-scoped user id');
  }
  return trimmed;
}
