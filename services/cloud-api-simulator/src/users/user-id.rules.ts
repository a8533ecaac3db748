import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { createHash } from 'node:crypto';

// Meta accepts `+`, `-`, `()` and spaces in `to`; E.164 caps a number at 15 digits.
const PHONE_SHAPE = /^\+?[\d\s\-()]+$/;
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;
// Country code + '.' + up to 128 alphanumerics, e.g. US.13491208655302741918.
const BSUID_SHAPE = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;
const BSUID_DIGITS = 20;

/** The digits of a phone number as Meta's `wa_id` carries them, or undefined when it is not a phone number. */
export function phoneDigits(input: string): string | undefined {
  if (!PHONE_SHAPE.test(input)) {
    return undefined;
  }
  const digits = input.replace(/\D/g, '');
  return digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS ? digits : undefined;
}

export function isBsuid(value: string): boolean {
  return BSUID_SHAPE.test(value);
}

/**
 * The business-scoped user ID the simulator gives a phone number: its region (or US when libphonenumber cannot
 * tell) and 20 digits from its SHA-256, so every run and every test agrees on it.
 */
export function deriveBsuid(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const region = parsePhoneNumberFromString(`+${digits}`)?.country ?? 'US';
  const hash = createHash('sha256').update(digits).digest('hex');
  const number = BigInt(`0x${hash}`) % 10n ** BigInt(BSUID_DIGITS);
  return `${region}.${number.toString().padStart(BSUID_DIGITS, '0')}`;
}
