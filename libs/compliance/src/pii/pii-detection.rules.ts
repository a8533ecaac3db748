import { isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText, isSupportedCountry } from 'libphonenumber-js';
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
} from './pii-checksums.rules';

/**
 * Personal data found in free text (chat messages, prompts, log lines), so callers can redact it before text leaves
 * for an external provider or reaches a log. Pure: spans only, the caller decides what replaces them.
 *
 * Precision comes from checksums wherever the identifier has one; identifiers without one (Argentine DNI, Colombian
 * cédula, bare 9-digit SSNs) count only next to a keyword that names them, since bare they look like any number.
 */

export const PII_KINDS = Object.freeze([
  'phone',
  'email',
  'payment-card',
  'iban',
  'cpf',
  'cnpj',
  'curp',
  'rfc',
  'es-dni',
  'es-nie',
  'ar-dni',
  'ar-cuil-cuit',
  'co-cedula',
  'us-ssn',
] as const);

export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiSpan {
  readonly kind: PiiKind;
  /** Offset of the first character in the original text (UTF-16 code units, like String.prototype.slice). */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

export interface FindPiiOptions {
  /** Kinds to look for; all of them when absent. */
  readonly kinds?: readonly PiiKind[];
  /** ISO 3166-1 alpha-2 country for phone numbers written without an international prefix. */
  readonly defaultCountry?: string;
}

/** Checksummed ids: the kinds whose recall the corpus measures separately. */
export const CHECKSUMMED_PII_KINDS: readonly PiiKind[] = Object.freeze([
  'payment-card',
  'iban',
  'cpf',
  'cnpj',
  'curp',
  'rfc',
  'es-dni',
  'es-nie',
  'ar-cuil-cuit',
]);

/** On overlap the earlier kind wins: validated ids before context-only ids, everything before phone numbers. */
const PRIORITY: readonly PiiKind[] = [
  'email',
  'iban',
  'cnpj',
  'curp',
  'rfc',
  'payment-card',
  'cpf',
  'ar-cuil-cuit',
  'es-nie',
  'es-dni',
  'us-ssn',
  'co-cedula',
  'ar-dni',
  'phone',
];

const bare = (value: string): string => value.replace(/[\s.\-/]/g, '').toUpperCase();

/** A pattern plus the validator its bare match must pass. Lookarounds keep matches off longer words and numbers. */
interface PatternRule {
  readonly kind: PiiKind;
  readonly pattern: RegExp;
  readonly valid: (bareValue: string) => boolean;
}

// Not inside a longer word or number: no letter or digit next to the match, nor one behind a joining - . or /.
const B = '(?<![\\p{L}\\p{N}_]|[\\p{N}][-./])';
const E = '(?![\\p{L}\\p{N}_]|[-./][\\p{N}])';
// Case-insensitive: ids typed in lower case ("x1234567l", "godE561231gr8") are still ids; validators see upper case.
const rx = (body: string): RegExp => new RegExp(`${B}(?:${body})${E}`, 'giu');

const PATTERN_RULES: readonly PatternRule[] = [
  {
    kind: 'payment-card',
    // One separator style per number: 16 digits in fours, Amex 4-6-5, or unseparated.
    pattern: rx('\\d{13,19}|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{1,7}|\\d{4}([ -])\\d{6}\\2\\d{4,5}'),
    valid: (v) => /^[2-6]/.test(v) && isValidLuhn(v),
  },
  { kind: 'cpf', pattern: rx('\\d{3}\\.\\d{3}\\.\\d{3}-\\d{2}|\\d{9}-\\d{2}|\\d{11}'), valid: isValidCpf },
  {
    kind: 'cnpj',
    pattern: rx('[0-9A-Z]{2}\\.[0-9A-Z]{3}\\.[0-9A-Z]{3}/[0-9A-Z]{4}-\\d{2}|[0-9A-Z]{12}\\d{2}'),
    valid: isValidCnpj,
  },
  { kind: 'curp', pattern: rx('[A-Z]{4}\\d{6}[A-Z]{6}[0-9A-Z]\\d'), valid: isValidCurp },
  { kind: 'rfc', pattern: rx('[A-ZÑ&]{3,4}-?\\d{6}-?[A-Z0-9]{3}'), valid: isValidRfc },
  { kind: 'es-dni', pattern: rx('\\d{8}-?[A-Z]|\\d{2}\\.\\d{3}\\.\\d{3}-?[A-Z]'), valid: isValidEsDni },
  { kind: 'es-nie', pattern: rx('[XYZ]-?\\d{7}-?[A-Z]'), valid: isValidEsNie },
  { kind: 'ar-cuil-cuit', pattern: rx('\\d{2}-\\d{8}-\\d|\\d{11}'), valid: isValidCuilCuit },
  { kind: 'us-ssn', pattern: rx('\\d{3}-\\d{2}-\\d{4}|\\d{3} \\d{2} \\d{4}'), valid: isValidUsSsn },
];

/** A number counts only when a keyword naming it ends at most a few words before it. */
interface ContextRule {
  readonly kind: PiiKind;
  readonly keyword: RegExp;
  readonly pattern: RegExp;
  readonly valid: (bareValue: string) => boolean;
}

const KEYWORD_REACH = 30;

const CONTEXT_RULES: readonly ContextRule[] = [
  {
    kind: 'ar-dni',
    keyword: /\bD\.?N\.?I\.?(?![\p{L}\p{N}])|documento nacional de identidad/giu,
    pattern: rx('\\d{1,2}\\.\\d{3}\\.\\d{3}|\\d{7,8}'),
    valid: (v) => /^\d{7,8}$/.test(v),
  },
  {
    kind: 'co-cedula',
    keyword: /c[ée]dula(?: de ciudadan[íi]a)?|\bC\.?\s?C\.?(?![\p{L}\p{N}])/giu,
    pattern: rx('\\d{1,3}(?:\\.\\d{3}){1,3}|\\d{6,10}'),
    valid: (v) => /^\d{6,10}$/.test(v),
  },
  {
    kind: 'us-ssn',
    keyword: /\bSSN\b|social security(?: number| no\.?| #)?/giu,
    pattern: rx('\\d{9}'),
    valid: isValidUsSsn,
  },
];

/**
 * E-mail addresses by regex rather than a library: validators check a whole string, not text that merely contains
 * an address, and finders such as linkify-it are URL parsers with far more surface than this needs. Local part of
 * dot-separated atoms, domain of LDH labels with an alphabetic TLD; letters of any script are allowed on both sides.
 */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-]+(?:\.[\p{L}\p{N}_%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}])/gu;

/** IBAN in electronic form or printed in groups of four; trailing groups are dropped until the checksum holds. */
const IBAN = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![\p{L}\p{N}])/gu;

function findIbans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(IBAN)) {
    const start = match.index;
    let candidate = match[0];
    // The last group(s) may be a word that follows the IBAN ("… 1332 THANKS"): shorten at each space.
    while (candidate.length >= 15) {
      if (isValidIBAN(bare(candidate))) {
        spans.push({ kind: 'iban', start, end: start + candidate.length });
        break;
      }
      const cut = candidate.lastIndexOf(' ');
      if (cut < 0) {
        break;
      }
      candidate = candidate.slice(0, cut);
    }
  }
  return spans;
}

function findByPattern(text: string, rule: PatternRule): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(rule.pattern)) {
    if (rule.valid(bare(match[0]))) {
      spans.push({ kind: rule.kind, start: match.index, end: match.index + match[0].length });
    }
  }
  return spans;
}

function findByContext(text: string, rule: ContextRule): PiiSpan[] {
  const numbers = [...text.matchAll(rule.pattern)];
  const spans: PiiSpan[] = [];
  for (const keyword of text.matchAll(rule.keyword)) {
    const keywordEnd = keyword.index + keyword[0].length;
    // Only the first number after the keyword: in "cédula 123…, pedido 456…" the order number is not the id.
    const next = numbers.find((m) => m.index >= keywordEnd);
    if (!next || next.index - keywordEnd > KEYWORD_REACH || /\d/.test(text.slice(keywordEnd, next.index))) {
      continue;
    }
    if (rule.valid(bare(next[0]))) {
      spans.push({ kind: rule.kind, start: next.index, end: next.index + next[0].length });
    }
  }
  return spans;
}

/** Postcodes (Brazilian CEP 01310-100, Portuguese 1000-001) that the phone finder would take for local numbers. */
const POSTCODE_SHAPE = /^\d{4,5}-\d{3}$/;

/**
 * Words that introduce a reference rather than a phone number (order 4821930571 is a valid US number): a number
 * right after one of them is left alone. Phones after them ("folio 123, mi teléfono es …") still count.
 */
const REFERENCE_BEFORE =
  /(?<!\p{L})(?:order|ticket|invoice|ref(?:erence)?|confirmation(?: code)?|serial|tracking|pedido|factura|folio|referencia(?: de pago)?|comprobante|protocolo|nota fiscal|encomenda|boleto|n\.?[º°]|#)(?:\s+(?:number|no\.?|n[úu]mero|de pago|is|es|é))*\s*[:#]?\s*$/iu;

function findPhones(text: string, defaultCountry: string | undefined): PiiSpan[] {
  const country = defaultCountry?.toUpperCase();
  const options = country && isSupportedCountry(country) ? { defaultCountry: country } : {};
  return findPhoneNumbersInText(text, options)
    .filter(({ startsAt, endsAt }) => {
      const before = text.slice(Math.max(0, startsAt - 2), startsAt);
      // Digits glued to a code (INV-2026-706042, ref/2026…) are a reference, not a number someone dials.
      const glued = /[\p{L}\p{N}_][-/]?$/u.test(before) || /^[\p{L}\p{N}_]/u.test(text.slice(endsAt));
      const reference = REFERENCE_BEFORE.test(text.slice(Math.max(0, startsAt - 40), startsAt));
      return !glued && !reference && !POSTCODE_SHAPE.test(text.slice(startsAt, endsAt));
    })
    .map(({ startsAt, endsAt }) => ({ kind: 'phone', start: startsAt, end: endsAt }));
}

/** Personal data in `text`, as sorted, non-overlapping spans; on overlap the more specific kind wins. */
export function findPii(text: string, options: FindPiiOptions = {}): PiiSpan[] {
  const wanted = new Set<PiiKind>(options.kinds ?? PII_KINDS);
  const candidates: PiiSpan[] = [];
  if (wanted.has('email')) {
    candidates.push(...[...text.matchAll(EMAIL)].map((m) => span('email', m)));
  }
  if (wanted.has('iban')) {
    candidates.push(...findIbans(text));
  }
  for (const rule of PATTERN_RULES) {
    if (wanted.has(rule.kind)) {
      candidates.push(...findByPattern(text, rule));
    }
  }
  for (const rule of CONTEXT_RULES) {
    if (wanted.has(rule.kind)) {
      candidates.push(...findByContext(text, rule));
    }
  }
  if (wanted.has('phone')) {
    candidates.push(...findPhones(text, options.defaultCountry));
  }

  candidates.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start);
  const kept: PiiSpan[] = [];
  for (const candidate of candidates) {
    if (!kept.some((k) => candidate.start < k.end && k.start < candidate.end)) {
      kept.push(candidate);
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}

const span = (kind: PiiKind, match: RegExpMatchArray): PiiSpan => ({
  kind,
  start: match.index ?? 0,
  end: (match.index ?? 0) + match[0].length,
});

/**
 * `text` with each span replaced by `placeholder(span, index)`, index counting spans in text order. Spans must come
 * from findPii on the same text (sorted, non-overlapping); others are rejected rather than guessed at.
 */
export function redactText(
  text: string,
  spans: readonly PiiSpan[],
  placeholder: (span: PiiSpan, index: number) => string,
): string {
  let out = '';
  let cursor = 0;
  spans.forEach((s, index) => {
    if (s.start < cursor || s.end < s.start || s.end > text.length) {
      throw new RangeError('redactText: spans must be sorted, non-overlapping and inside the text');
    }
    out += text.slice(cursor, s.start) + placeholder(s, index);
    cursor = s.end;
  });
  return out + text.slice(cursor);
}
