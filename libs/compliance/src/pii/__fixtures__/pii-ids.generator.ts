import { composeIBAN, isValidIBAN } from 'ibantools';
import { type CountryCode, isValidPhoneNumber } from 'libphonenumber-js';
import {
  isValidCnpj,
  isValidCpf,
  isValidCuilCuit,
  isValidCurp,
  isValidEsDni,
  isValidEsNie,
  isValidLuhn,
  isValidRfc,
  isValidUsSsn,
} from '../pii-checksums.rules';

/**
 * Synthetic identifiers for tests and the corpus: random bodies whose check characters are found by trying every
 * candidate against the validators (which the tables pin to published examples), so no real person's data is used.
 */

/** Uniform integer in [0, n). */
export type Random = (n: number) => number;

/** mulberry32: a seeded generator, so the corpus and property runs are reproducible. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const pick = <T>(r: Random, items: readonly T[] | string): T => items[r(items.length)] as T;
const chars = (r: Random, alphabet: string, length: number): string =>
  Array.from({ length }, () => pick<string>(r, alphabet)).join('');
const completed = (body: string, suffixes: readonly string[], valid: (v: string) => boolean): string | undefined =>
  suffixes.map((s) => body + s).find(valid);
const retry = (make: () => string | undefined): string => {
  for (;;) {
    const value = make();
    if (value !== undefined) {
      return value;
    }
  }
};
const twoDigits = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const oneDigit = [...DIGITS];
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const birthDate = (r: Random): string => `${pad(40 + r(60), 2)}${pad(1 + r(12), 2)}${pad(1 + r(28), 2)}`;

export function cardNumber(r: Random): string {
  const prefix = pick(r, ['4', '51', '53', '55', '2221', '34', '37', '6011']);
  const length = prefix === '34' || prefix === '37' ? 15 : 16;
  const body = prefix + chars(r, DIGITS, length - prefix.length - 1);
  const digits = retry(() => completed(body, oneDigit, isValidLuhn));
  if (length === 15) {
    return pick(r, [digits, `${digits.slice(0, 4)} ${digits.slice(4, 10)} ${digits.slice(10)}`]);
  }
  const sep = pick(r, [' ', '-', '']);
  return digits.match(/\d{4}/g)!.join(sep);
}

const IBAN_BBAN_LENGTHS: Readonly<Record<string, number>> = { ES: 20, PT: 21, DE: 18, BE: 12 };

export function iban(r: Random): string {
  const country = pick(r, Object.keys(IBAN_BBAN_LENGTHS));
  // composeIBAN sets the IBAN check digits only; Belgian, Spanish and Portuguese BBANs carry national ones too.
  const electronic = retry(() => {
    const value = composeIBAN({ countryCode: country, bban: chars(r, DIGITS, IBAN_BBAN_LENGTHS[country]) });
    return value && isValidIBAN(value) ? value : undefined;
  });
  return r(2) === 0 ? electronic : electronic.match(/.{1,4}/g)!.join(' ');
}

export function cpf(r: Random): string {
  const digits = retry(() => completed(chars(r, DIGITS, 9), twoDigits, isValidCpf));
  return r(3) === 0 ? digits : `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9)}`;
}

export function cnpj(r: Random): string {
  const alphanumeric = r(2) === 0;
  const body = alphanumeric ? chars(r, DIGITS + LETTERS, 8) + chars(r, DIGITS, 4) : chars(r, DIGITS, 8) + '0001';
  const v = retry(() => completed(body, twoDigits, isValidCnpj));
  return r(3) === 0 ? v : `${v.slice(0, 2)}.${v.slice(2, 5)}.${v.slice(5, 8)}/${v.slice(8, 12)}-${v.slice(12)}`;
}

export function curp(r: Random): string {
  const body =
    pick<string>(r, LETTERS) +
    pick<string>(r, 'AEIOU') +
    chars(r, LETTERS, 2) +
    birthDate(r) +
    pick<string>(r, 'HM') +
    pick(r, ['DF', 'JC', 'NL', 'PL', 'VZ', 'MC']) +
    chars(r, 'BCDFGHJKLMNPQRSTVWXYZ', 3) +
    pick<string>(r, DIGITS);
  return retry(() => completed(body, oneDigit, isValidCurp));
}

export function rfc(r: Random): string {
  return retry(() => {
    const body = chars(r, LETTERS, r(4) === 0 ? 3 : 4) + birthDate(r) + chars(r, LETTERS + DIGITS, 2);
    return completed(body, [...oneDigit, 'A'], isValidRfc);
  });
}

export function esDni(r: Random): string {
  const v = retry(() => completed(chars(r, DIGITS, 8), [...LETTERS], isValidEsDni));
  return r(4) === 0 ? `${v.slice(0, 8)}-${v[8]}` : v;
}

export function esNie(r: Random): string {
  return retry(() => completed(pick<string>(r, 'XYZ') + chars(r, DIGITS, 7), [...LETTERS], isValidEsNie));
}

export function cuilCuit(r: Random): string {
  const v = retry(() => completed(pick(r, ['20', '23', '27', '30']) + chars(r, DIGITS, 8), oneDigit, isValidCuilCuit));
  return r(3) === 0 ? v : `${v.slice(0, 2)}-${v.slice(2, 10)}-${v[10]}`;
}

export function usSsn(r: Random): string {
  const v = retry(() => {
    const candidate = pad(1 + r(899), 3) + pad(1 + r(99), 2) + pad(1 + r(9999), 4);
    return isValidUsSsn(candidate) ? candidate : undefined;
  });
  return `${v.slice(0, 3)}-${v.slice(3, 5)}-${v.slice(5)}`;
}

const dotted = (digits: string): string => digits.replace(/\B(?=(\d{3})+$)/g, '.');

export function arDni(r: Random): string {
  const digits = String(10_000_000 + r(35_000_000));
  return r(2) === 0 ? digits : dotted(digits);
}

export function coCedula(r: Random): string {
  const digits = String(r(2) === 0 ? 10_000_000 + r(90_000_000) : 1_000_000_000 + r(100_000_000));
  return r(2) === 0 ? digits : dotted(digits);
}

const PHONE_SHAPES: Readonly<Record<string, readonly (() => string)[]>> = {
  US: [() => '(415) 2##-####', () => '+1 646 3##-####', () => '312.8##.####', () => '617-4##-####'],
  BR: [() => '(11) 9####-####', () => '+55 21 9####-####', () => '31 9####-####'],
  PT: [() => '912 ### ###', () => '+351 936 ### ###'],
  ES: [() => '6## ### ###', () => '+34 7## ## ## ##', () => '91 ### ## ##'],
  MX: [() => '+52 55 #### ####', () => '33 #### ####'],
  AR: [() => '+54 9 11 ####-####', () => '11 ####-####'],
  CO: [() => '3## ### ####', () => '+57 310 ### ####'],
};

/** A phone number written the way people from `country` write it, valid for libphonenumber's metadata. */
export function phone(r: Random, country: string): string {
  return retry(() => {
    const value = pick(r, PHONE_SHAPES[country])().replace(/#/g, () => pick<string>(r, DIGITS));
    return isValidPhoneNumber(value, country as CountryCode) ? value : undefined;
  });
}

const FIRST = ['ana', 'joao', 'maria', 'carlos', 'lucia', 'pedro', 'sofia', 'diego', 'julia', 'mateo', 'emma', 'liam'];
const LAST = ['silva', 'garcia', 'souza', 'lopez', 'martins', 'perez', 'smith', 'rossi', 'ferreira', 'gomez'];
const DOMAINS = ['gmail.com', 'hotmail.com', 'outlook.es', 'yahoo.com.br', 'uol.com.br', 'empresa.com.mx', 'mail.co'];

export function email(r: Random): string {
  const sep = pick(r, ['.', '_', '', '.']);
  return `${pick(r, FIRST)}${sep}${pick(r, LAST)}${r(3) === 0 ? String(r(99)) : ''}@${pick(r, DOMAINS)}`;
}
