import fc from 'fast-check';
import { deriveBsuid, isBsuid, phoneDigits } from './user-id.rules';

describe('phoneDigits', () => {
  it.each([
    ['+5511987654321', '5511987654321'],
    ['+55 (11) 98765-4321', '5511987654321'],
    ['1234567', '1234567'],
    ['123456789012345', '123456789012345'],
  ])('reads %s as %s', (input, digits) => {
    expect(phoneDigits(input)).toBe(digits);
  });

  it.each(['123456', '1234567890123456', '+55 11 9876x4321', '55+11987654321', '', 'BR.123'])('rejects %p', (input) => {
    expect(phoneDigits(input)).toBeUndefined();
  });
});

describe('isBsuid', () => {
  it.each(['US.13491208655302741918', 'BR.a', `BR.${'a'.repeat(128)}`])('accepts %s', (value) => {
    expect(isBsuid(value)).toBe(true);
  });

  it.each(['13491208655302741918', 'us.1', 'USA.1', 'US.', `US.${'a'.repeat(129)}`, 'US.1-2'])(
    'rejects %s',
    (value) => {
      expect(isBsuid(value)).toBe(false);
    },
  );
});

describe('deriveBsuid', () => {
  it('takes the region from the number and 20 digits from its hash', () => {
    expect(deriveBsuid('5511987654321')).toMatch(/^BR\.\d{20}$/);
    expect(deriveBsuid('+44 20 7946 0958')).toMatch(/^GB\.\d{20}$/);
  });

  it('falls back to US when the region is unknown', () => {
    expect(deriveBsuid('999123456789')).toMatch(/^US\.\d{20}$/);
  });

  it('is the same for every format of a number, and differs between numbers', () => {
    expect(deriveBsuid('+55 (11) 98765-4321')).toBe(deriveBsuid('5511987654321'));
    expect(deriveBsuid('5511987654321')).not.toBe(deriveBsuid('5511987654322'));
  });

  it('always gives a valid BSUID', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{6,14}$/), (digits) => {
        const bsuid = deriveBsuid(digits);
        return isBsuid(bsuid) && /^[A-Z]{2}\.\d{20}$/.test(bsuid) && deriveBsuid(digits) === bsuid;
      }),
    );
  });
});
