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

/** The same value with its last character (the check character) replaced by the next one of its class. */
const bumpLast = (value: string): string => {
  const last = value[value.length - 1];
  const next = /\d/.test(last)
    ? String((Number(last) + 1) % 10)
    : last === 'Z'
      ? 'A'
      : String.fromCharCode(last.charCodeAt(0) + 1);
  return value.slice(0, -1) + next;
};

/** The same value with one body digit changed. */
const bumpDigit = (value: string, index: number): string =>
  value.slice(0, index) + String((Number(value[index]) + 1) % 10) + value.slice(index + 1);

// Published examples: card networks' test numbers, the Receita Federal's alphanumeric CNPJ example, SAT's RFC
// example, AFIP's own CUIT, the Spanish Interior Ministry's DNI/NIE examples, and CURPs from other validators' tests.
const TABLE: readonly (readonly [
  name: string,
  valid: (v: string) => boolean,
  examples: readonly string[],
  digitAt: number,
])[] = [
  ['Luhn', isValidLuhn, ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117'], 3],
  ['CPF', isValidCpf, ['52998224725', '11144477735'], 2],
  ['CNPJ', isValidCnpj, ['11222333000181', '12ABC34501DE35'], 0],
  ['CURP', isValidCurp, ['OEVL921024MDFLRR07', 'EOTN981127HNESLC06', 'HEGG560427MVZRRL04'], 4],
  ['RFC', isValidRfc, ['GODE561231GR8'], 4],
  ['DNI', isValidEsDni, ['12345678Z', '00000000T'], 3],
  ['NIE', isValidEsNie, ['X1234567L', 'Y0000000Z'], 3],
  ['CUIL/CUIT', isValidCuilCuit, ['33693450239', '20123456786'], 4],
];

describe.each(TABLE)('%s check digits', (_name, valid, examples, digitAt) => {
  it.each(examples)('accepts %s', (example) => expect(valid(example)).toBe(true));
  it.each(examples)('rejects %s with its check character changed', (example) =>
    expect(valid(bumpLast(example))).toBe(false),
  );
  it.each(examples)('rejects %s with a body digit changed', (example) => {
    expect(valid(bumpDigit(example, digitAt))).toBe(false);
  });
});

describe('check digits: shapes that must be refused whatever the sum', () => {
  it.each([
    ['CPF of one repeated digit', isValidCpf, '11111111111'],
    ['CNPJ of one repeated digit', isValidCnpj, '00000000000000'],
    ['CNPJ with a letter in the check digits', isValidCnpj, '12ABC34501DE3A'],
    ['CNPJ in lower case', isValidCnpj, '12abc34501de35'],
    ['CURP with a month 13', isValidCurp, 'OEVL921324MDFLRR07'],
    ['RFC with a day 32', isValidRfc, 'GODE561232GR8'],
    ['CUIT with an unknown type prefix', isValidCuilCuit, '21123456786'],
    ['card shorter than 13 digits', isValidLuhn, '424242424242'],
  ] as const)('%s', (_label, valid, value) => expect(valid(value)).toBe(false));
});

describe('US SSN structure', () => {
  it.each(['123456789', '001010001', '665999999', '899991234'])('accepts %s', (v) =>
    expect(isValidUsSsn(v)).toBe(true),
  );
  it.each(['000123456', '666123456', '900123456', '987654321', '123006789', '123450000', '12345678'])(
    'rejects %s',
    (v) => expect(isValidUsSsn(v)).toBe(false),
  );
});
