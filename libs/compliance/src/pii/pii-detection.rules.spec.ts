import fc from 'fast-check';
import * as g from './__fixtures__/pii-ids.generator';
import {
  CHECKSUMMED_PII_KINDS,
  PII_KINDS,
  type PiiKind,
  type PiiSpan,
  findPii,
  redactText,
} from './pii-detection.rules';

const found = (text: string, defaultCountry?: string): [PiiKind, string][] =>
  findPii(text, { defaultCountry }).map((s) => [s.kind, text.slice(s.start, s.end)]);

describe('findPii per kind', () => {
  it.each<[PiiKind, string, string, string | undefined]>([
    ['phone', 'call me at (415) 555-2671 tonight', '(415) 555-2671', 'US'],
    ['phone', 'meu zap +55 11 98765-4321', '+55 11 98765-4321', undefined],
    ['email', 'write to maria.souza+loja@exemplo.com.br.', 'maria.souza+loja@exemplo.com.br', undefined],
    ['email', 'correo: josé_peña@correo.example.mx', 'josé_peña@correo.example.mx', undefined],
    ['payment-card', 'card 4111 1111 1111 1111 exp 09/28', '4111 1111 1111 1111', undefined],
    ['payment-card', 'amex 3782-822463-10005', '3782-822463-10005', undefined],
    ['iban', 'IBAN ES91 2100 0418 4502 0005 1332 gracias', 'ES91 2100 0418 4502 0005 1332', undefined],
    ['iban', 'conta PT50000201231234567890154', 'PT50000201231234567890154', undefined],
    ['cpf', 'meu CPF 529.982.247-25', '529.982.247-25', 'BR'],
    ['cnpj', 'CNPJ 12.ABC.345/01DE-35 (novo formato)', '12.ABC.345/01DE-35', 'BR'],
    ['cnpj', 'CNPJ 11.222.333/0001-81', '11.222.333/0001-81', 'BR'],
    ['curp', 'CURP OEVL921024MDFLRR07', 'OEVL921024MDFLRR07', 'MX'],
    ['rfc', 'RFC: GODE561231GR8', 'GODE561231GR8', 'MX'],
    ['es-dni', 'DNI 12345678-Z', '12345678-Z', 'ES'],
    ['es-nie', 'NIE X1234567L', 'X1234567L', 'ES'],
    ['ar-cuil-cuit', 'CUIT 33-69345023-9', '33-69345023-9', 'AR'],
    ['ar-dni', 'mi DNI es 23.456.789', '23.456.789', 'AR'],
    ['co-cedula', 'cédula 1.020.304.050', '1.020.304.050', 'CO'],
    ['co-cedula', 'C.C. 79123456', '79123456', 'CO'],
    ['us-ssn', 'SSN 123-45-6789', '123-45-6789', 'US'],
    ['us-ssn', 'social security number 123456789', '123456789', 'US'],
  ])('%s in "%s"', (kind, text, value, country) => {
    expect(found(text, country)).toEqual([[kind, value]]);
  });

  it.each<[string, string | undefined]>([
    ['card 4111 1111 1111 1112 exp 09/28', undefined], // Luhn fails
    ['IBAN ES91 2100 0418 4502 0005 1333', undefined], // mod 97 fails
    ['meu CPF 529.982.247-26', undefined],
    ['CNPJ 12.ABC.345/01DE-36', undefined],
    ['CURP OEVL921024MDFLRR08', undefined],
    ['RFC: GODE561231GR9', undefined],
    ['DNI 12345678A', undefined],
    ['NIE X1234567M', undefined],
    ['CUIT 33-69345023-8', undefined],
    ['SSN 666-45-6789', 'US'],
    ['SSN 123-00-6789', 'US'],
    ['order 123456789 shipped', 'US'], // a bare 9-digit number is an SSN only after "SSN"
    ['mi pedido 23.456.789 llegó', 'AR'], // an Argentine DNI only after "DNI"
    ['son 1.020.304.050 pesos', 'CO'], // a cédula only after "cédula" / "CC"
  ])('nothing in "%s"', (text, country) => {
    expect(findPii(text, { defaultCountry: country })).toEqual([]);
  });

  it('takes only the first number after a keyword for ids without a checksum', () => {
    expect(found('cédula 1.020.304.050, pedido 4821930', 'CO')).toEqual([['co-cedula', '1.020.304.050']]);
  });

  it.each([
    ['Total $1,234.56 on 12/03/2026 at 14:30, 3 units, zip 94107', 'US'],
    ['Pedido 4821930571 de R$ 1.299,90 em 12/03/2026, CEP 01310-100', 'BR'],
    ['Factura nº 4821930571, 120,50 €, el 12/03/2026 a las 9:30', 'ES'],
    ['INV-2026-706042 and version 2.14.3', 'US'],
  ])('no look-alikes in "%s"', (text, country) => {
    expect(findPii(text, { defaultCountry: country })).toEqual([]);
  });

  it('lets the more specific kind win on overlap: a CPF is not also a phone, a card not also a CPF', () => {
    expect(found('CPF 52998224725', 'BR')).toEqual([['cpf', '52998224725']]);
    expect(found('e-mail 4111111111111111@example.com', 'US')).toEqual([['email', '4111111111111111@example.com']]);
  });

  it('looks only for the kinds asked for', () => {
    const text = 'CPF 529.982.247-25, e-mail ana@example.com';
    expect(findPii(text, { kinds: ['email'] }).map((s) => s.kind)).toEqual(['email']);
    expect(findPii(text, { kinds: [] })).toEqual([]);
  });

  it('finds phones without a prefix only with a default country', () => {
    expect(findPii('call 415 555 2671')).toEqual([]);
    expect(found('call 415 555 2671', 'US')).toEqual([['phone', '415 555 2671']]);
    expect(found('call 415 555 2671', 'not-a-country')).toEqual([]);
  });
});

const GENERATORS: Readonly<Partial<Record<PiiKind, (r: g.Random) => string>>> = {
  'payment-card': g.cardNumber,
  iban: g.iban,
  cpf: g.cpf,
  cnpj: g.cnpj,
  curp: g.curp,
  rfc: g.rfc,
  'es-dni': g.esDni,
  'es-nie': g.esNie,
  'ar-cuil-cuit': g.cuilCuit,
  'us-ssn': g.usSsn,
};

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzáéíóúãçñ'), minLength: 1, maxLength: 8 });
const prose = fc.array(word, { maxLength: 6 }).map((words) => words.join(' '));
const PUNCTUATION = ['', ' ', ': ', ' (', ', '];

describe('findPii properties', () => {
  it('covers every checksummed kind with a generator', () => {
    for (const kind of CHECKSUMMED_PII_KINDS) {
      expect(GENERATORS[kind]).toBeDefined();
    }
  });

  it.each(Object.entries(GENERATORS))('finds generated %s ids in random text, with exact offsets', (kind, generate) => {
    fc.assert(
      fc.property(seed, prose, prose, fc.constantFrom(...PUNCTUATION), (s, before, after, glue) => {
        const id = generate(g.seededRandom(s));
        const head = before ? `${before}${glue || ' '}` : '';
        const text = `${head}${id}${after ? ` ${after}` : ''}`;
        expect(findPii(text, { kinds: [kind as PiiKind] })).toEqual([
          { kind, start: head.length, end: head.length + id.length },
        ]);
      }),
    );
  });

  it('finds nothing in text without digits or @', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        fc.pre(!/[\p{Nd}@＠]/u.test(text));
        expect(findPii(text, { defaultCountry: 'US' })).toEqual([]);
      }),
    );
  });

  it('returns sorted, non-overlapping spans inside the text, of known kinds', () => {
    const piece = fc.oneof(
      prose,
      fc.stringMatching(/^[0-9 .\-/+()@a-z]{0,30}$/),
      seed.map((s) => g.cpf(g.seededRandom(s))),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.constantFrom('US', 'BR', 'ES', 'MX'), (pieces, country) => {
        const text = pieces.join(' ');
        const spans = findPii(text, { defaultCountry: country });
        spans.forEach((s, i) => {
          expect(PII_KINDS).toContain(s.kind);
          expect(0 <= s.start && s.start < s.end && s.end <= text.length).toBe(true);
          if (i > 0) {
            expect(spans[i - 1].end).toBeLessThanOrEqual(s.start);
          }
        });
      }),
    );
  });
});

describe('redactText', () => {
  it('replaces each span by its placeholder and keeps the rest', () => {
    const text = 'CPF 529.982.247-25, mail ana@example.com!';
    expect(redactText(text, findPii(text), (s, i) => `[${s.kind}#${i}]`)).toBe('CPF [cpf#0], mail [email#1]!');
  });

  it('refuses overlapping or out-of-range spans', () => {
    const spans: PiiSpan[] = [
      { kind: 'email', start: 0, end: 5 },
      { kind: 'phone', start: 3, end: 6 },
    ];
    expect(() => redactText('0123456789', spans, () => 'X')).toThrow(RangeError);
    expect(() => redactText('0123', [{ kind: 'phone', start: 2, end: 9 }], () => 'X')).toThrow(RangeError);
  });

  it('never leaves a found span behind', () => {
    const generated = fc
      .tuple(fc.constantFrom(...Object.values(GENERATORS)), seed)
      .map(([make, s]) => make(g.seededRandom(s)));
    const emailPiece = seed.map((s) => g.email(g.seededRandom(s)));
    fc.assert(
      fc.property(fc.array(fc.oneof(prose, generated, emailPiece), { minLength: 1, maxLength: 6 }), (pieces) => {
        const text = pieces.join(' ');
        const spans = findPii(text);
        const redacted = redactText(text, spans, (_s, i) => `<${i}>`);
        for (const s of spans) {
          expect(redacted).not.toContain(text.slice(s.start, s.end));
        }
        // What is left is exactly the text between the spans.
        const gaps = [0, ...spans.flatMap((s) => [s.start, s.end]), text.length];
        const kept = gaps.reduce<string[]>(
          (acc, _p, i) => (i % 2 === 0 ? [...acc, text.slice(gaps[i], gaps[i + 1])] : acc),
          [],
        );
        expect(redacted.split(/<\d+>/)).toEqual(kept);
      }),
    );
  });
});
