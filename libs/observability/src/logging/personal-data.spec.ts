import fc from 'fast-check';
import { captureLogs } from './log-capture';
import { createLogger } from './logger';
import { isPersonalDataKey, PERSONAL_DATA_KEYS, REDACTED, redactPersonalData, scrubText } from './personal-data';

/** Spellings of one key that must all be recognized: as listed, lower, upper, snake_case, kebab-case. */
const personalKey = fc
  .tuple(fc.constantFrom(...PERSONAL_DATA_KEYS), fc.constantFrom('as-is', 'lower', 'upper', 'snake', 'kebab'))
  .map(([key, spelling]) => {
    const words = key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/_/g, ' ')
      .toLowerCase()
      .split(' ');
    switch (spelling) {
      case 'lower':
        return key.toLowerCase();
      case 'upper':
        return key.toUpperCase();
      case 'snake':
        return words.join('_');
      case 'kebab':
        return words.join('-');
      case 'as-is':
        return key;
    }
  });

const ordinaryKey = fc.string({ minLength: 1, maxLength: 8 }).filter((key) => !isPersonalDataKey(key));

/** A path from the log object down to where the personal data sits: object keys and array positions. */
const path = fc.array(fc.oneof(ordinaryKey, fc.nat({ max: 3 })), { maxLength: 7 });

function nest(steps: (string | number)[], leaf: unknown): unknown {
  return steps.reduceRight<unknown>((inner, step) => {
    if (typeof step === 'number') {
      const array: unknown[] = Array.from({ length: step + 1 }, () => null);
      array[step] = inner;
      return array;
    }
    return { [step]: inner, sibling: 'kept' };
  }, leaf);
}

/** Any string, made findable by a unique marker; placed as a string, inside an object, or inside an array. */
const secretValue = fc.tuple(fc.uuid(), fc.string()).chain(([marker, text]) =>
  fc
    .constantFrom<(value: string) => unknown>(
      (value) => value,
      (value) => ({ inner: value }),
      (value) => [value, { deeper: [value] }],
    )
    .map((shape) => ({ marker, value: shape(`${text}${marker}`) })),
);

function strings(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(strings);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
  }
  return [];
}

describe('personal-data redaction in log lines', () => {
  const capture = captureLogs();
  const logger = createLogger('consent', { level: 'info', destination: capture });

  beforeEach(() => capture.lines.splice(0));

  it('never writes a value found under a personal-data key, at any depth, in objects, bindings or errors', () => {
    fc.assert(
      fc.property(path, personalKey, secretValue, (steps, key, { marker, value }) => {
        capture.lines.splice(0);
        const payload = nest(steps, { [key]: value });
        logger.info({ payload }, 'object');
        logger.child({ payload }).info('binding');
        logger.error(Object.assign(new Error('boom'), { payload }));
        expect(capture.lines).toHaveLength(3);
        for (const line of capture.lines) {
          expect(line).not.toContain(marker);
          expect(strings(JSON.parse(line)).some((text) => text.includes(marker))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves fields that are not personal data exactly as logged', () => {
    const withoutPersonalKeys = (value: unknown): boolean =>
      typeof value !== 'object' || value === null
        ? true
        : Object.entries(value).every(([key, item]) => !isPersonalDataKey(key) && withoutPersonalKeys(item));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (payload) => {
        fc.pre(withoutPersonalKeys(payload));
        capture.lines.splice(0);
        logger.info({ payload }, 'plain');
        expect((JSON.parse(capture.lines[0]) as { payload: unknown }).payload).toEqual(
          JSON.parse(JSON.stringify(payload)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('replaces the whole value of a personal-data key, whatever its type', () => {
    logger.info({
      entry: [{ changes: [{ value: { contacts: [{ wa_id: '15551234567', profile: { name: 'Ana' } }] } }] }],
      Authorization: 'Bearer abc',
      'X-Hub-Signature-256': 'sha256=00',
      phone_number: 15551234567,
      status: 'delivered',
    });
    const [entry] = capture.entries();
    expect(entry).toMatchObject({
      entry: [{ changes: [{ value: { contacts: REDACTED } }] }],
      Authorization: REDACTED,
      'X-Hub-Signature-256': REDACTED,
      phone_number: REDACTED,
      status: 'delivered',
    });
  });

  it('copes with cycles, depth, binary data and odd keys', () => {
    const cyclic: Record<string, unknown> = { id: 1 };
    cyclic.self = cyclic;
    const deep = nest(
      Array.from({ length: 20 }, () => 'level'),
      { phone: '+15551234567' },
    );
    expect(redactPersonalData({ cyclic, deep, buffer: Buffer.from('+15551234567') })).toMatchObject({
      cyclic: { id: 1, self: '[circular]' },
      buffer: '[binary 12 bytes]',
    });
    expect(JSON.stringify(redactPersonalData(deep))).not.toContain('5551234567');
    const parsed: unknown = JSON.parse('{"__proto__": {"email": "a@b.co"}, "ok": 1}');
    expect(JSON.stringify(redactPersonalData(parsed))).toBe('{"__proto__":{"email":"[redacted]"},"ok":1}');
  });
});

describe('phone numbers and e-mail addresses in free text', () => {
  const capture = captureLogs();
  const logger = createLogger('gateway', { level: 'info', destination: capture });

  beforeEach(() => capture.lines.splice(0));

  const phone = fc
    .tuple(
      fc.constantFrom('+', ''),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 15 }),
      fc.constantFrom('', ' ', '-', '.'),
    )
    .map(([plus, digits, separator]) => {
      const groups = digits.join('').match(/.{1,3}/g) ?? [];
      return { digits: digits.join(''), text: `${plus}${groups.join(separator)}` };
    });
  const words = fc.stringMatching(/^[A-Za-z ,:;!?]{0,30}$/);

  it('masks any phone number written into a message, an interpolated argument or an error message', () => {
    fc.assert(
      fc.property(words, phone, words, (before, { digits, text }, after) => {
        capture.lines.splice(0);
        logger.info(`${before} ${text} ${after}`);
        logger.info('number: %s', text);
        logger.warn(new Error(`${before} ${text} ${after}`));
        for (const line of capture.lines) {
          const entry = JSON.parse(line) as { msg: string; err?: { message: string; stack: string } };
          for (const text of [entry.msg, entry.err?.message ?? '', entry.err?.stack ?? '']) {
            expect(text.replace(/\D/g, '')).not.toContain(digits.slice(0, 7));
          }
          expect(entry.msg).toContain('[phone]');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('masks any e-mail address written into a message or an error message', () => {
    fc.assert(
      fc.property(words, fc.emailAddress(), words, (before, email, after) => {
        capture.lines.splice(0);
        logger.info(`${before} ${email} ${after}`);
        logger.error({ err: new Error(`no contact for ${email}`) });
        for (const line of capture.lines) {
          expect(line).not.toContain(email);
        }
        const [message, error] = capture.entries();
        expect(message.msg).toContain('[email]');
        expect(error.msg).toBe('no contact for [email]');
      }),
      { numRuns: 300 },
    );
  });

  it('keeps ordinary numbers, ids and dates readable', () => {
    const examples = [
      'retry 3 of 5 after 250 ms',
      'wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI5QTNDQTVCM0I4Q0Q0RjE5AA==',
      'request 3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f failed',
      'cutoff 2026-11-25T07:03:00.000Z',
      'version 1.16.22',
    ];
    for (const example of examples) {
      expect(scrubText(example)).toBe(example);
    }
    expect(scrubText('call +1 (555) 123-4567 or mail ana.maria@example.co.uk')).toBe('call [phone] or mail [email]');
  });
});
