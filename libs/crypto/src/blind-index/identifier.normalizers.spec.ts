import { InvalidIdentifierError } from '../errors/invalid-identifier.error';
import { normalizeEmail, normalizePhone } from './identifier.normalizers';

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
