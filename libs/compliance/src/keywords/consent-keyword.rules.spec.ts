import fc from 'fast-check';
import {
  type ConsentKeyword,
  type KeywordIntent,
  MAX_KEYWORD_MESSAGE_LENGTH,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  matchConsentKeyword,
  normalizeKeywordText,
} from './consent-keyword.rules';

interface Form {
  readonly form: string;
  readonly entry: ConsentKeyword;
  readonly intent: KeywordIntent;
}

const formsOf = (intent: KeywordIntent, entries: readonly ConsentKeyword[]): Form[] =>
  entries.flatMap((entry) => [entry.keyword, ...(entry.spacedForms ?? [])].map((form) => ({ form, entry, intent })));
const ALL_FORMS: readonly Form[] = [...formsOf('opt-out', OPT_OUT_KEYWORDS), ...formsOf('opt-in', OPT_IN_KEYWORDS)];

/** ASCII letters → their full-width forms (U+FF21…), spaces → ideographic space. */
const fullWidth = (text: string): string =>
  [...text].map((c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join('');
const titleCase = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const alternatingCase = (text: string): string => [...text].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');

const expectMatch = (message: string, { entry, intent }: Form): void => {
  expect(matchConsentKeyword(message)).toEqual({ intent, keyword: entry.keyword, languages: entry.languages });
};

describe('consent keyword lists', () => {
  it('contains every keyword the consent issue requires, with the required intent', () => {
    const outs = OPT_OUT_KEYWORDS.map((k) => k.keyword);
    const ins = OPT_IN_KEYWORDS.map((k) => k.keyword);
    expect(outs).toEqual(
      expect.arrayContaining(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'optout']),
    );
    expect(outs).toEqual(expect.arrayContaining(['parar', 'baja', 'detener', 'cancelar']));
    expect(outs).toEqual(expect.arrayContaining(['sair', 'pare', 'cancelar', 'descadastrar']));
    expect(ins).toEqual(expect.arrayContaining(['start', 'unstop', 'alta', 'voltar', 'iniciar']));
  });

  it('keeps deliberately rejected words out of both lists', () => {
    const all = ALL_FORMS.map((f) => f.form);
    for (const rejected of ['yes', 'si', 'sim', 'ok', 'alto', 'comenzar', 'empezar', 'comecar', 'reativar', 'volver']) {
      expect(all).not.toContain(rejected);
    }
  });

  it('writes every form already normalised, in letters (single spaces only), without digits', () => {
    for (const { form } of ALL_FORMS) {
      expect(normalizeKeywordText(form)).toBe(form);
      expect(form).toMatch(/^[a-z]+( [a-z]+)?$/);
    }
  });

  it('lists each form once, in one intent only', () => {
    const forms = ALL_FORMS.map((f) => f.form);
    expect(new Set(forms).size).toBe(forms.length);
  });

  it('gives every keyword at least one language, none twice', () => {
    for (const { entry } of ALL_FORMS) {
      expect(entry.languages.length).toBeGreaterThan(0);
      expect(new Set(entry.languages).size).toBe(entry.languages.length);
    }
  });

  it('tags words shared by Spanish and Portuguese with both languages', () => {
    expect(matchConsentKeyword('CANCELAR')?.languages).toEqual(expect.arrayContaining(['es', 'pt']));
    expect(matchConsentKeyword('PARAR')?.languages).toEqual(expect.arrayContaining(['es', 'pt']));
    expect(matchConsentKeyword('PARE')?.languages).toEqual(expect.arrayContaining(['es', 'pt']));
    expect(matchConsentKeyword('BAJA')?.languages).toEqual(['es']);
    expect(matchConsentKeyword('SAIR')?.languages).toEqual(['pt']);
    expect(matchConsentKeyword('STOP')?.languages).toEqual(['en']);
    expect(matchConsentKeyword('Iniciar')).toEqual({ intent: 'opt-in', keyword: 'iniciar', languages: ['es', 'pt'] });
  });

  it('is frozen, so no caller can add or change a keyword at run time', () => {
    expect(Object.isFrozen(OPT_OUT_KEYWORDS)).toBe(true);
    expect(Object.isFrozen(OPT_IN_KEYWORDS)).toBe(true);
    expect(Object.isFrozen(OPT_OUT_KEYWORDS[0])).toBe(true);
    expect(Object.isFrozen(OPT_OUT_KEYWORDS[0]?.languages)).toBe(true);
    expect(Object.isFrozen(matchConsentKeyword('stop'))).toBe(true);
  });
});

describe('matchConsentKeyword: every keyword in every accepted spelling', () => {
  describe.each(ALL_FORMS.map((f) => [`${f.intent} "${f.form}"`, f] as const))('%s', (_name, f) => {
    const variants: readonly [string, string][] = [
      ['lower case', f.form],
      ['upper case', f.form.toUpperCase()],
      ['title case', titleCase(f.form)],
      ['mixed case', alternatingCase(f.form)],
      ['surrounding whitespace', ` \t${f.form.toUpperCase()}\n `],
      ['trailing !', `${f.form.toUpperCase()}!`],
      ['trailing .', `${f.form}.`],
      ['Spanish inverted marks', `¡${titleCase(f.form)}!`],
      ['quotes and ellipsis', `"${f.form}"…`],
      ['trailing emoji', `${f.form.toUpperCase()} 🛑`],
      ['leading emoji with ZWJ and skin tone', `🙅🏽‍♀️ ${f.form}`],
      ['flag and keycap', `🇧🇷 ${f.form} #️⃣`],
      ['full-width', fullWidth(f.form.toUpperCase())],
      ['zero-width characters', `\u200B${[...f.form].join('\u200C')}\uFEFF`],
      ['an acute accent on the first letter', `${f.form.charAt(0)}\u0301${f.form.slice(1)}`.normalize('NFC')],
      ['non-breaking spaces around it', `\u00A0${f.form}\u00A0`],
    ];
    it.each(variants)('matches with %s', (_how, message) => {
      expectMatch(message, f);
    });
  });

  it('accepts hyphenated and underscored compounds', () => {
    expect(matchConsentKeyword('OPT-OUT')).toMatchObject({ intent: 'opt-out', keyword: 'optout' });
    expect(matchConsentKeyword('opt_out')).toMatchObject({ intent: 'opt-out', keyword: 'optout' });
    expect(matchConsentKeyword('Opt  -  Out')).toMatchObject({ intent: 'opt-out', keyword: 'optout' });
    expect(matchConsentKeyword('STOP-ALL')).toMatchObject({ intent: 'opt-out', keyword: 'stopall' });
    expect(matchConsentKeyword('Opt-In')).toMatchObject({ intent: 'opt-in', keyword: 'optin' });
    expect(matchConsentKeyword('S.T.O.P.')).toMatchObject({ intent: 'opt-out', keyword: 'stop' });
  });

  it('accepts the accented spellings people actually type', () => {
    expect(matchConsentKeyword('Saír')).toMatchObject({ intent: 'opt-out', keyword: 'sair' });
    expect(matchConsentKeyword('PÁRE')).toMatchObject({ intent: 'opt-out', keyword: 'pare' });
    expect(matchConsentKeyword('¡Bajá!')).toMatchObject({ intent: 'opt-out', keyword: 'baja' });
    // Decomposed input (accent as a separate combining mark) is the same message.
    expect(matchConsentKeyword('Sai\u0301r')).toMatchObject({ intent: 'opt-out', keyword: 'sair' });
  });
});

describe('matchConsentKeyword: messages that are not keyword messages', () => {
  it.each([
    // Arguably a request to opt out, but a sentence, not a keyword: the conversation layer reads intent in free text.
    'please stop sending me promos',
    'Can I cancel my appointment?',
    'não quero sair de casa',
    'la baja de precios',
    'end of the day',
    'stop by tomorrow',
    'Quiero cancelar mi pedido',
    'voltar ao menu',
    'start over',
    'iniciar sesión',
    'quero iniciar o atendimento',
    'unsubscribe me',
    'stop stop',
    'stop, please',
    'de tener',
  ])('does not match the sentence %j', (sentence) => {
    expect(matchConsentKeyword(sentence)).toBeUndefined();
  });

  it.each(['STOP 2', '2 stop', 'stop2', 'ＳＴＯＰ２', 'stop①', 'opt out 1'])(
    'does not match %j (digits)',
    (message) => {
      expect(matchConsentKeyword(message)).toBeUndefined();
    },
  );

  it.each(['yes', 'Sí', 'sim', 'OK', 'alto', 'comenzar', 'Começar', 'reativar', 'volver'])(
    'does not match the rejected word %j',
    (message) => {
      expect(matchConsentKeyword(message)).toBeUndefined();
    },
  );

  it.each(['stopp', 'stpo', 'unsuscribe', 'sai', 'star', 'st op', 's t o p', 'optouts'])(
    'does not match the near miss %j (no fuzzy matching)',
    (message) => {
      expect(matchConsentKeyword(message)).toBeUndefined();
    },
  );

  it.each(['', '   ', '🛑', '!!!', '\u200B', '™'])(
    'does not match the empty-after-normalising message %j',
    (message) => {
      expect(matchConsentKeyword(message)).toBeUndefined();
    },
  );

  it('drops pictographs before decomposing, so ™ and ℹ do not turn into letters next to a keyword', () => {
    expect(matchConsentKeyword('STOP™')).toMatchObject({ keyword: 'stop' });
    expect(matchConsentKeyword('ℹ️ stop')).toMatchObject({ keyword: 'stop' });
  });

  it('looks only at messages up to the cap, measured after trimming', () => {
    const padded = `${'!'.repeat(MAX_KEYWORD_MESSAGE_LENGTH - 4)}stop`;
    expect(padded).toHaveLength(MAX_KEYWORD_MESSAGE_LENGTH);
    expect(matchConsentKeyword(padded)).toMatchObject({ keyword: 'stop' });
    expect(matchConsentKeyword(`!${padded}`)).toBeUndefined();
    expect(matchConsentKeyword(`${' '.repeat(500)}stop${'\n'.repeat(500)}`)).toMatchObject({ keyword: 'stop' });
  });

  it('rejects an over-long message without normalising it', () => {
    const normalize = jest.spyOn(String.prototype, 'normalize');
    try {
      expect(matchConsentKeyword(`stop${'🛑'.repeat(1_000_000)}`)).toBeUndefined();
      expect(normalize).not.toHaveBeenCalled();
    } finally {
      normalize.mockRestore();
    }
  });
});

describe('normalizeKeywordText', () => {
  it.each([
    ['ＳＴＯＰ', 'stop'],
    ['  Opt-Out!! ', 'optout'],
    ['São   Paulo', 'sao paulo'],
    ['🛑 STOP 🛑', 'stop'],
    ['STOP 2', 'stop 2'],
    ['STOP™', 'stop'],
    ['ℹ️ stop', 'stop'],
    ['İPTAL', 'iptal'],
    ['Ⓢⓣⓞⓟ', 'stop'],
    ['ﬁm', 'fim'],
    ['a\u200Bb\u00ADc\u2060d', 'abcd'],
    ['tab\tand\r\nnewline', 'tab and newline'],
    ['\u00A0nbsp\u3000ideographic\u2003em ', 'nbsp ideographic em'],
    ['null\u0000char', 'null char'],
    ['👍🏽 ok 🇧🇷', 'ok'],
    ['¿Qué tal?', 'que tal'],
    ['Ação', 'acao'],
    ['', ''],
    ['!!! ???', ''],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeKeywordText(input)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = normalizeKeywordText(text);
        expect(normalizeKeywordText(once)).toBe(once);
      }),
    );
  });

  it('never leaves leading, trailing or doubled spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(normalizeKeywordText(text)).not.toMatch(/^ | $| {2}/);
      }),
    );
  });
});

describe('matchConsentKeyword properties', () => {
  const formArb = fc.constantFrom(...ALL_FORMS);
  // Each decoration is at most 5 UTF-16 units; three per side plus a 12-letter keyword stays under the cap.
  const decoration = fc.constantFrom(
    ' ',
    '\t',
    '\n',
    '!',
    '.',
    '?',
    '¡',
    '¿',
    '"',
    '…',
    '*',
    '🛑',
    '🙅‍♀️',
    '👍🏽',
    '❤️',
    '🇧🇷',
    '\u200B',
    '\uFEFF',
  );
  const decorations = fc.array(decoration, { maxLength: 3 }).map((parts) => parts.join(''));
  /** One of: as is, upper case, full-width, accented, followed by a zero-width space — per letter. */
  const letterStyle = fc.integer({ min: 0, max: 4 });
  const styled = (form: string, styles: readonly number[]): string =>
    [...form]
      .map((c, i) => {
        switch (styles[i % styles.length]) {
          case 1:
            return c.toUpperCase();
          case 2:
            return fullWidth(c);
          case 3:
            return c === ' ' ? c : `${c}\u0301`;
          case 4:
            return `${c}\u200B`;
          default:
            return c;
        }
      })
      .join('');

  it('still matches any keyword decorated with case, width, accents, whitespace, punctuation and emoji', () => {
    fc.assert(
      fc.property(
        formArb,
        fc.array(letterStyle, { minLength: 1, maxLength: 12 }),
        decorations,
        decorations,
        (f, styles, before, after) => {
          const message = `${before}${styled(f.form, styles)}${after}`;
          expect(message.trim().length).toBeLessThanOrEqual(MAX_KEYWORD_MESSAGE_LENGTH);
          expectMatch(message, f);
        },
      ),
    );
  });

  // Letters only (accents included), so a word can never normalise away and leave the keyword alone.
  const word = fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzáéíóúãõçñABCXYZ'),
    minLength: 1,
    maxLength: 10,
  });
  const separator = fc.constantFrom(' ', '  ', '\t', '\n', ', ', ' - ', '! ', ' 🛑 ');

  it('never matches a keyword embedded between two words', () => {
    fc.assert(
      fc.property(word, separator, formArb, separator, word, (left, sepLeft, f, sepRight, right) => {
        expect(matchConsentKeyword(`${left}${sepLeft}${f.form}${sepRight}${right}`)).toBeUndefined();
      }),
    );
  });

  // Real chat words in the three languages, so the sentences read like the messages a keyword must not be taken from.
  const chatWord = fc.constantFrom(
    'please',
    'can',
    'you',
    'I',
    'want',
    'to',
    'now',
    'the',
    'messages',
    'quiero',
    'por',
    'favor',
    'mi',
    'pedido',
    'mañana',
    'eu',
    'quero',
    'não',
    'você',
    'agora',
    'obrigado',
  );
  const sentenceSide = fc.array(chatWord, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));

  it('never matches a keyword inside an ordinary sentence (words before, after, or both)', () => {
    fc.assert(
      fc.property(
        fc.option(sentenceSide, { nil: undefined }),
        formArb,
        fc.option(sentenceSide, { nil: undefined }),
        fc.constantFrom('', '.', '!', '?', ' 🙏'),
        (before, f, after, end) => {
          fc.pre(before !== undefined || after !== undefined);
          const sentence = [before, f.form, after].filter((part) => part !== undefined).join(' ') + end;
          expect(matchConsentKeyword(sentence)).toBeUndefined();
        },
      ),
    );
  });

  // Halves of the declared two-word forms ("stop all", "opt out", "opt in"): next to their partner they ARE a keyword.
  const compoundHalves = new Set(ALL_FORMS.flatMap((f) => (f.form.includes(' ') ? f.form.split(' ') : [])));
  const nonCompoundWord = word.filter((w) => !compoundHalves.has(normalizeKeywordText(w)));

  it('never matches a keyword preceded or followed by one word (other than its declared compound partner)', () => {
    fc.assert(
      fc.property(nonCompoundWord, separator, formArb, fc.boolean(), (other, sep, f, keywordFirst) => {
        const message = keywordFirst ? `${f.form}${sep}${other}` : `${other}${sep}${f.form}`;
        expect(matchConsentKeyword(message)).toBeUndefined();
      }),
    );
  });

  it('never throws on arbitrary unicode, and returns a match only for a listed form', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const match = matchConsentKeyword(text);
        if (match) {
          expect(ALL_FORMS.map((f) => f.entry.keyword)).toContain(match.keyword);
          expect(text.trim().length).toBeLessThanOrEqual(MAX_KEYWORD_MESSAGE_LENGTH);
        }
      }),
    );
  });

  it('returns undefined for anything longer than the cap after trimming, even a padded keyword', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: MAX_KEYWORD_MESSAGE_LENGTH + 1, maxLength: 300 }), (text) => {
        fc.pre(text.trim().length > MAX_KEYWORD_MESSAGE_LENGTH);
        expect(matchConsentKeyword(text)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(formArb, decoration, fc.integer({ min: 1, max: 200 }), (f, pad, extra) => {
        const message = `${f.form}${pad.trim() || '!'}`.padEnd(MAX_KEYWORD_MESSAGE_LENGTH + extra, '!');
        expect(matchConsentKeyword(message)).toBeUndefined();
      }),
    );
  });
});
