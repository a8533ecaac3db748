import fc from 'fast-check';
import {
  MAX_DETECTION_TEXT_LENGTH,
  SUPPORTED_LANGUAGES,
  countryLanguage,
  detectLanguage,
  type SupportedLanguage,
} from './language-detection.rules';

const ALL = SUPPORTED_LANGUAGES;

/** First messages of 3+ words, as contacts write them (accents dropped, abbreviations, no capitals, slang). */
const OPENERS: Readonly<Record<SupportedLanguage, readonly string[]>> = {
  en: [
    'Hi, do you have availability tomorrow?',
    'Hello, I would like to book an appointment',
    'Can I change my reservation to Friday?',
    'What time do you open on Saturday?',
    'I need to cancel my order please',
    'Where is my package? It has not arrived yet',
    'Good morning, is the store open today?',
    'How much does a haircut cost?',
    'Hey, can someone call me back?',
    'I want to talk to a human',
    'Do you deliver to my area?',
    'Thanks for the quick reply!',
    'My payment did not go through',
    'Is there parking near the clinic?',
    'Could you send me the invoice again?',
    'I am running ten minutes late',
    'Please reschedule my appointment for next week',
    'hi there quick question about my bill',
    'Is the 2pm slot still free?',
    'Delete my data please',
    'Who gave you my number?',
    'Any discounts for students?',
    'Sorry, wrong number',
    'The link is not working',
  ],
  es: [
    'Hola, quiero reservar una cita',
    '¿Tienen disponibilidad para mañana?',
    'Buenos días, ¿a qué hora abren?',
    'Necesito cancelar mi pedido',
    '¿Dónde está mi paquete? Todavía no llega',
    'Quisiera cambiar la reserva para el viernes',
    '¿Cuánto cuesta el corte de pelo?',
    'Hola, ¿me pueden llamar?',
    'Quiero hablar con una persona',
    'Muchas gracias por la respuesta',
    '¿Hay estacionamiento cerca de la clínica?',
    'Voy a llegar diez minutos tarde',
    'Buenas tardes, tengo una pregunta sobre mi cuenta',
    '¿Puedo pagar con tarjeta?',
    'Hola buenas, ¿tienen turnos para hoy?',
    'Me gustaría agendar una cita',
    'Perdón, número equivocado',
    'El enlace no funciona',
    'Oye, ¿a qué hora cierran?',
    'hola q tal, kiero info',
    'Che, ¿tienen stock de esto?',
    'Borren mis datos por favor',
    '¿Quién les dio mi número?',
    'Somos seis, ¿hay mesa para esta noche?',
  ],
  pt: [
    'Oi, tudo bem? Quero marcar um horário',
    'Vocês têm disponibilidade amanhã?',
    'Bom dia, que horas vocês abrem?',
    'Preciso cancelar meu pedido',
    'Cadê minha encomenda? Ainda não chegou',
    'Queria mudar a reserva para sexta',
    'Quanto custa o corte de cabelo?',
    'Olá, podem me ligar?',
    'Quero falar com uma pessoa',
    'Muito obrigado pela resposta',
    'Não consegui fazer o pagamento',
    'Vou chegar dez minutos atrasado',
    'Boa tarde, tenho uma dúvida sobre minha conta',
    'Posso pagar com cartão?',
    'Olá, gostaria de agendar uma consulta',
    'Desculpa, número errado',
    'O link não funciona',
    'Me manda o cardápio por favor',
    'Oi td bem? queria um orçamento',
    'vc tem esse produto?',
    'Apaguem meus dados por favor',
    'Quem passou meu número pra vocês?',
    'Somos seis, tem mesa pra hoje à noite?',
    'Tô atrasado, preso no trânsito',
  ],
};

/** Greetings and thanks of 1–2 words: the commonest first messages, and the hardest. */
const GREETINGS: Readonly<Record<SupportedLanguage, readonly string[]>> = {
  en: ['Hi', 'Hello', 'Hey there', 'Good morning', 'Thanks', 'Thank you', 'Good evening', 'Hi there', 'Help', 'Hello?'],
  es: [
    'Hola',
    'Buenas',
    'Buenos días',
    'Buenas tardes',
    'Gracias',
    'Muchas gracias',
    'Buenas noches',
    'Hola buenas',
    'Ayuda',
    'Qué tal',
  ],
  pt: ['Oi', 'Olá', 'Bom dia', 'Boa tarde', 'Obrigado', 'Obrigada', 'Boa noite', 'Oi tudo bem', 'Ajuda', 'Tudo bem?'],
};

const rows = (table: Readonly<Record<SupportedLanguage, readonly string[]>>): [SupportedLanguage, string][] =>
  ALL.flatMap((language) => table[language].map((text) => [language, text] as [SupportedLanguage, string]));

describe('detectLanguage on chat openers of 3+ words', () => {
  it('has at least 20 openers per language', () => {
    for (const language of ALL) {
      expect(OPENERS[language].length).toBeGreaterThanOrEqual(20);
      for (const text of OPENERS[language]) {
        expect(text.split(/\s+/).length).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it.each(rows(OPENERS))('detects %s in %j', (language, text) => {
    expect(detectLanguage(text, { candidates: ALL })).toBe(language);
  });

  it('gets every opener right (accuracy 100%), whatever the country hint says', () => {
    const wrong = rows(OPENERS).filter(
      ([language, text]) =>
        detectLanguage(text, { candidates: ALL }) !== language ||
        ['BR', 'ES', 'US'].some((countryHint) => detectLanguage(text, { candidates: ALL, countryHint }) !== language),
    );
    expect(wrong).toEqual([]);
  });
});

describe('detectLanguage on greetings of 1–2 words', () => {
  const results = rows(GREETINGS).map(([language, text]) => ({
    language,
    text,
    detected: detectLanguage(text, { candidates: ALL }),
  }));

  it('never names the wrong language for a greeting', () => {
    expect(results.filter((r) => r.detected !== undefined && r.detected !== r.language)).toEqual([]);
  });

  it('recognises at least 95% of them without a country hint (29 of 30: "Qué tal" is Portuguese too)', () => {
    const missed = results.filter((r) => r.detected !== r.language);
    expect(missed.map((r) => r.text)).toEqual(['Qué tal']);
    expect((results.length - missed.length) / results.length).toBeGreaterThanOrEqual(0.95);
  });

  it('leaves a greeting that Spanish and Portuguese share ("Que tal") to the country', () => {
    expect(detectLanguage('¿Qué tal?', { candidates: ALL })).toBe('es'); // the ¿ says Spanish
    expect(detectLanguage('Qué tal', { candidates: ALL })).toBeUndefined();
    expect(detectLanguage('Qué tal', { candidates: ALL, countryHint: 'MX' })).toBe('es');
    expect(detectLanguage('Que tal', { candidates: ALL, countryHint: 'BR' })).toBe('pt');
    expect(detectLanguage('Que tal', { candidates: ALL, countryHint: 'US' })).toBeUndefined();
  });
});

describe('detectLanguage: the country hint', () => {
  it.each([
    ['BR', 'pt'],
    ['PT', 'pt'],
    ['AO', 'pt'],
    ['MZ', 'pt'],
    ['ES', 'es'],
    ['MX', 'es'],
    ['CO', 'es'],
    ['AR', 'es'],
    ['CL', 'es'],
    ['PE', 'es'],
    ['US', 'en'],
    ['GB', 'en'],
    ['IE', 'en'],
    ['CA', 'en'],
    ['AU', 'en'],
    ['NZ', 'en'],
  ] as [string, SupportedLanguage][])('decides a text with no language in it from %s → %s', (countryHint, language) => {
    for (const text of ['ok', '👍', '12:30', '', 'Juan', '???']) {
      expect(detectLanguage(text, { candidates: ALL, countryHint })).toBe(language);
    }
    expect(countryLanguage(countryHint)).toBe(language);
  });

  it.each(['DE', 'FR', 'JP', 'XX', 'br'])('gives no language from the country %s', (countryHint) => {
    expect(detectLanguage('ok', { candidates: ALL, countryHint })).toBeUndefined();
    expect(countryLanguage(countryHint)).toBeUndefined();
  });

  it('gives undefined for a text with no language in it and no hint', () => {
    for (const text of ['ok', '👍', '12:30', '', '   ']) {
      expect(detectLanguage(text, { candidates: ALL })).toBeUndefined();
    }
  });

  it('lets the text win over the hint when the text decides', () => {
    expect(detectLanguage('Hi, do you have availability tomorrow?', { candidates: ALL, countryHint: 'BR' })).toBe('en');
    expect(detectLanguage('Hola, quiero reservar una cita', { candidates: ALL, countryHint: 'US' })).toBe('es');
    expect(detectLanguage('Oi', { candidates: ALL, countryHint: 'MX' })).toBe('pt');
  });

  it('uses the hint only among the languages the text left tied', () => {
    // "tarde" is Spanish and Portuguese: a Brazilian number decides, a US one cannot.
    expect(detectLanguage('Tarde', { candidates: ALL, countryHint: 'BR' })).toBe('pt');
    expect(detectLanguage('Tarde', { candidates: ALL, countryHint: 'ES' })).toBe('es');
    expect(detectLanguage('Tarde', { candidates: ALL, countryHint: 'US' })).toBeUndefined();
  });

  it('gives the hint only when the hinted language is a candidate', () => {
    expect(detectLanguage('ok', { candidates: ['en', 'es'], countryHint: 'BR' })).toBeUndefined();
  });
});

describe('detectLanguage: candidates', () => {
  it('answers only in a candidate language', () => {
    expect(detectLanguage('Oi, tudo bem? Quero marcar um horário', { candidates: ['en', 'es'] })).toBe('es');
    expect(detectLanguage('Hola, quiero reservar una cita', { candidates: ['en'] })).toBeUndefined();
    expect(detectLanguage('Hello there', { candidates: [] })).toBeUndefined();
  });

  it('ignores duplicate candidates', () => {
    expect(detectLanguage('Bom dia', { candidates: ['pt', 'pt', 'es'] })).toBe('pt');
  });
});

describe('detectLanguage properties', () => {
  const candidatesArb = fc.subarray([...ALL]);
  const hintArb = fc.option(fc.constantFrom('BR', 'ES', 'US', 'DE', 'MX', 'xx'), { nil: undefined });

  it('never throws on arbitrary text and answers only with a candidate', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 })),
        candidatesArb,
        hintArb,
        (text, candidates, countryHint) => {
          const detected = detectLanguage(text, { candidates, countryHint });
          if (detected !== undefined) {
            expect(candidates).toContain(detected);
          }
        },
      ),
    );
  });

  it('does not care about case, surrounding emoji or punctuation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...rows(OPENERS)),
        fc.constantFrom('', '!!', ' 😊', ' 🙏🏽', '...', ' ?'),
        fc.boolean(),
        ([language, text], decoration, upper) => {
          const message = `${upper ? text.toUpperCase() : text.toLowerCase()}${decoration}`;
          expect(detectLanguage(message, { candidates: ALL })).toBe(language);
        },
      ),
    );
  });

  it('reads only the start of a very long message', () => {
    const long = `Hola, quiero reservar una cita. ${'x '.repeat(1_000_000)}Hello thanks please the and you`;
    expect(long.length).toBeGreaterThan(MAX_DETECTION_TEXT_LENGTH);
    expect(detectLanguage(long, { candidates: ALL })).toBe('es');
  });
});
