import { InvalidIdentifierError } from '../errors/invalid-identifier.error';
import { normalizeBsuid, normalizeEmail, normalizePhone, normalizeWaId } from './identifier.normalizers';

describe('identifier normalizers', () => {
  it.each([
    ['+55 11 98765-4321', undefined, '+5511987654321'],
    ['(11) 98765-4321', 'BR', '+5511987654321'],
    ['+1 (415) 555-2671', undefined, '+14155552671'],
    ['415.555.2671', 'US', '+14155552671'],
    ['  +34 612 34 56 78 ', undefined, '+34612345678'],
  ] as const)('writes %s (region %s) as E.164', (input, region, expected) => {
    expect(normalizePhone(input, region)).toBe(expected);
  });

  it.each([['call me'], ['123'], ['+1 555 0000'], ['98765-4321']])(
    'rejects %s with InvalidIdentifierError that does not echo it',
    (input) => {
      let error: unknown;
      try {
        normalizePhone(input);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidIdentifierError);
      expect((error as Error).message).not.toContain(input);
    },
  );

  it('lower-cases and trims emails, keeping dots and plus-addressing', () => {
    expect(normalizeEmail('  Ana.Silva+Shop@Example.COM ')).toBe('ana.silva+shop@example.com');
    expect(normalizeEmail('ana.silva@example.com')).not.toBe(normalizeEmail('anasilva@example.com'));
  });

  it.each([['no-at-sign'], ['a@b'], ['two@@example.com'], ['sp ace@example.com']])('rejects %s', (input) => {
    expect(() => normalizeEmail(input)).toThrow(InvalidIdentifierError);
  });
});

describe('WhatsApp identifiers', () => {
  it.each([
    ['5511987654321', '+5511987654321'],
    ['+5511987654321', '+5511987654321'],
    [' 15550000001 ', '+15550000001'],
  ])('writes wa_id %s as %s, the E.164 text normalizePhone gives a valid number', (input, expected) => {
    expect(normalizeWaId(input)).toBe(expected);
  });

  it('agrees with normalizePhone on a valid number, so both index the same person', () => {
    expect(normalizeWaId('5511987654321')).toBe(normalizePhone('+55 11 98765-4321'));
  });

  it.each([['55-11-98765'], ['12345'], ['wamid.X'], ['+']])('rejects wa_id %s without echoing it', (input) => {
    expect(() => normalizeWaId(input)).toThrow(InvalidIdentifierError);
    expect(() => normalizeWaId(input)).not.toThrow(new RegExp(input.replace(/[.+]/g, '\\$&')));
  });

  it('keeps a business-scoped user id exactly and rejects other shapes', () => {
    expect(normalizeBsuid(' US.13491208655302741918 ')).toBe('US.13491208655302741918');
    expect(() => normalizeBsuid('us.1349')).toThrow(InvalidIdentifierError);
    expect(() => normalizeBsuid('US-1349')).toThrow(InvalidIdentifierError);
    expect(() => normalizeBsuid(`US.${'1'.repeat(129)}`)).toThrow(InvalidIdentifierError);
  });
});
