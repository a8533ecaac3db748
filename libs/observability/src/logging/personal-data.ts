/**
 * Personal data and secrets never reach a log line in clear. This file is the ONE place that decides what is
 * redacted; the logger applies it to every log object, child binding and message.
 *
 * Keys are matched at any depth, case-insensitively and ignoring `_`, `-` and spaces (`phone_number`, `PhoneNumber`
 * and `phone-number` are the same key). A matched key's whole value is replaced, whatever its type. pino's built-in
 * `redact` cannot express "this key at any depth" (each `*` matches exactly one level), hence this walker.
 */
export const PERSONAL_DATA_KEYS = [
  // contact identity (WhatsApp Cloud API webhooks and send requests)
  'phone',
  'phoneNumber',
  'displayPhoneNumber',
  'from',
  'to',
  'wa_id',
  'recipient',
  'recipientId',
  'contacts',
  'profile',
  'name',
  'email',
  'address',
  'location',
  'latitude',
  'longitude',
  'ip',
  'remoteAddress',
  // content
  'text',
  'body',
  'caption',
  'content',
  'message',
  'messages',
  'fields',
  // SQL errors: bound values (TypeORM QueryFailedError) and the row values PostgreSQL quotes in `detail`
  'parameters',
  'detail',
  // secrets
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'authorization',
  'cookie',
  'setCookie',
  'appSecret',
  'apiKey',
  'signature',
  'xHubSignature256',
] as const;

export const REDACTED = '[redacted]';

const MAX_DEPTH = 10;

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_\-\s]/g, '');
}

const personalDataKeys = new Set(PERSONAL_DATA_KEYS.map(normalizeKey));

export function isPersonalDataKey(key: string): boolean {
  return personalDataKeys.has(normalizeKey(key));
}

// E-mail addresses, and phone numbers: 7 to 15 digits, optionally with a leading +, spaces, dots, dashes or
// parentheses between them, not glued to letters or other digits (so ids like "a1234567b" or UUIDs stay readable).
const EMAIL = /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const PHONE = /(?<![\p{L}\p{N}_+-])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?![\p{L}\p{N}_-])/gu;

/** Masks what looks like an e-mail address or a phone number inside free text (log messages, error messages). */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/** A copy of `value` fit for a log line: personal-data keys redacted at any depth, errors serialized and scrubbed. */
export function redactPersonalData(value: unknown): unknown {
  return redact(value, 0, new WeakSet());
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (depth >= MAX_DEPTH) {
    return '[truncated]';
  }
  if (seen.has(value)) {
    return '[circular]';
  }
  seen.add(value);
  try {
    if (value instanceof Error) {
      return redactError(value, depth, seen);
    }
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      return `[binary ${value.byteLength} bytes]`;
    }
    if (value instanceof Date) {
      return value;
    }
    const json: unknown = hasToJson(value) ? value.toJSON() : value;
    if (json !== value) {
      return typeof json === 'object' ? redact(json, depth, seen) : json;
    }
    if (Array.isArray(value)) {
      return value.map((item) => redact(item, depth + 1, seen));
    }
    if (value instanceof Map) {
      return redactEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        depth,
        seen,
      );
    }
    if (value instanceof Set) {
      return [...value].map((item) => redact(item, depth + 1, seen));
    }
    return redactEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactEntries(entries: [string, unknown][], depth: number, seen: WeakSet<object>): Record<string, unknown> {
  // fromEntries defines own properties, so a "__proto__" key stays a key instead of replacing the prototype.
  return Object.fromEntries(
    entries.map(([key, item]) => [key, isPersonalDataKey(key) ? REDACTED : redact(item, depth + 1, seen)]),
  );
}

/** Like pino's err serializer (type, message, stack, own properties), with message and stack scrubbed. */
function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const serialized: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: scrubText(error.message),
  };
  if (typeof error.stack === 'string') {
    serialized.stack = scrubText(error.stack);
  }
  for (const [key, item] of Object.entries(error)) {
    // message and stack are scrubbed above; `type` already names the error
    if (key === 'message' || key === 'stack' || key === 'name') {
      continue;
    }
    serialized[key] = isPersonalDataKey(key) ? REDACTED : redact(item, depth + 1, seen);
  }
  if (error.cause !== undefined) {
    serialized.cause = redact(error.cause, depth + 1, seen);
  }
  return serialized;
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
