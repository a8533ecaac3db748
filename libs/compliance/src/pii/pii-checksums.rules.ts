/**
 * Check digits of the identifiers PII detection recognises. Written here rather than taken from a package because
 * the maintained ones either cover a single country, ship ESM only (our services and jest load CommonJS), or (for
 * CNPJ) predate the alphanumeric form of 2026. IBAN is the exception: `ibantools` is maintained, CommonJS and knows
 * every country's length, so detection uses it directly.
 * Every function takes the bare identifier (no dots, dashes or spaces), already upper-cased.
 */

const digitsOf = (value: string): number[] => [...value].map((c) => c.charCodeAt(0) - 48);

/** Mod-11 check digit as Brazil computes it (CPF, CNPJ): remainders 0 and 1 give 0. */
const brazilCheckDigit = (values: readonly number[], weights: readonly number[]): number => {
  const remainder = values.reduce((sum, v, i) => sum + v * weights[i], 0) % 11;
  return remainder < 2 ? 0 : 11 - remainder;
};

/** Luhn (ISO/IEC 7812) over 13–19 digits: payment cards. */
export function isValidLuhn(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Brazilian CPF: 11 digits, two mod-11 check digits; repeated digits (111.111.111-11) are valid sums but not ids. */
export function isValidCpf(value: string): boolean {
  if (!/^\d{11}$/.test(value) || /^(\d)\1{10}$/.test(value)) {
    return false;
  }
  const d = digitsOf(value);
  const first = brazilCheckDigit(d.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = brazilCheckDigit(d.slice(0, 10), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return d[9] === first && d[10] === second;
}

const CNPJ_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/**
 * Brazilian CNPJ, numeric or alphanumeric (Receita Federal, from July 2026): 12 characters [0-9A-Z] and two numeric
 * check digits computed on each character's ASCII code minus 48, so digits keep their value and A counts 17.
 */
export function isValidCnpj(value: string): boolean {
  if (!/^[0-9A-Z]{12}\d{2}$/.test(value) || /^(\d)\1{13}$/.test(value)) {
    return false;
  }
  const v = digitsOf(value);
  const first = brazilCheckDigit(v.slice(0, 12), CNPJ_WEIGHTS.slice(1));
  const second = brazilCheckDigit(v.slice(0, 13), CNPJ_WEIGHTS);
  return v[12] === first && v[13] === second;
}

const CURP_ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';
const CURP_SHAPE =
  /^[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d$/;

/** Mexican CURP: 18 characters; the last is (10 − Σ value×(18−i) mod 10) mod 10 over RENAPO's alphabet. */
export function isValidCurp(value: string): boolean {
  if (!CURP_SHAPE.test(value)) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += CURP_ALPHABET.indexOf(value[i]) * (18 - i);
  }
  return (10 - (sum % 10)) % 10 === Number(value[17]);
}

const RFC_ALPHABET = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';
const RFC_SHAPE = /^[A-ZÑ&]{3,4}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[A-Z0-9]{2}[0-9A]$/;

/**
 * Mexican RFC with homoclave: 13 characters for people, 12 for companies (padded with a leading space for the sum).
 * The last is 11 − Σ value×(13−i) mod 11 over SAT's alphabet, with 11 → 0 and 10 → A.
 */
export function isValidRfc(value: string): boolean {
  if (!RFC_SHAPE.test(value)) {
    return false;
  }
  const padded = value.length === 12 ? ` ${value}` : value;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    sum += RFC_ALPHABET.indexOf(padded[i]) * (13 - i);
  }
  const check = 11 - (sum % 11);
  const expected = check === 11 ? '0' : check === 10 ? 'A' : String(check);
  return padded[12] === expected;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI: 8 digits and the letter of their value mod 23. */
export function isValidEsDni(value: string): boolean {
  return /^\d{8}[A-Z]$/.test(value) && DNI_LETTERS[Number(value.slice(0, 8)) % 23] === value[8];
}

/** Spanish NIE: X, Y or Z (read as 0, 1, 2), 7 digits and the DNI letter of the resulting number. */
export function isValidEsNie(value: string): boolean {
  if (!/^[XYZ]\d{7}[A-Z]$/.test(value)) {
    return false;
  }
  return DNI_LETTERS[Number(`${'XYZ'.indexOf(value[0])}${value.slice(1, 8)}`) % 23] === value[8];
}

const CUIT_PREFIXES = new Set(['20', '23', '24', '25', '26', '27', '30', '33', '34']);

/** Argentine CUIL/CUIT: type prefix, DNI, mod-11 check digit (a result of 10 is never issued: AFIP changes the prefix). */
export function isValidCuilCuit(value: string): boolean {
  if (!/^\d{11}$/.test(value) || !CUIT_PREFIXES.has(value.slice(0, 2))) {
    return false;
  }
  const weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = digitsOf(value.slice(0, 10)).reduce((acc, d, i) => acc + d * weights[i], 0);
  const check = 11 - (sum % 11);
  if (check === 10) {
    return false;
  }
  return (check === 11 ? 0 : check) === Number(value[10]);
}

/** US SSN has no check digit, only structure: area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function isValidUsSsn(value: string): boolean {
  const match = /^(\d{3})(\d{2})(\d{4})$/.exec(value);
  if (!match) {
    return false;
  }
  const [, area, group, serial] = match;
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}
