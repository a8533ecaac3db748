/**
 * The language of a short chat message, among the platform's languages (en, es, pt): used to answer a contact in
 * their language (consent confirmations, notices) before any profile says which it is.
 *
 * A small scorer and not a library, because none of the maintained ones fits short chat in these three languages
 * under our CommonJS build (checked on 66 openers of 3+ words and 30 greetings of 1–2 words):
 * - eld: right on every opener, but ESM-only with no `require` export, so neither the swc-built CommonJS services
 *   nor jest can load it;
 * - tinyld (CommonJS): wrong on some Portuguese openers even with `only: [en, es, pt]` ("O link não funciona" → es)
 *   and on the commonest greetings (Hi, Hello, Hola, Oi, Olá: no answer or the wrong one);
 * - franc-min (ESM-only): 59/66 openers, 23/30 greetings.
 * The scorer counts function words and greetings that belong to one or two of the languages, and letters only one
 * of them writes (ñ ¿ ¡ for Spanish; ã õ ç â ê ô à for Portuguese). Words are compared without accents, because
 * chat often drops them ("nao", "manana"). When the text gives no winner, the contact's country decides among the
 * languages still tied; otherwise the answer is `undefined`, and the caller keeps its default.
 */

export type SupportedLanguage = 'en' | 'es' | 'pt';

export const SUPPORTED_LANGUAGES: readonly SupportedLanguage[] = Object.freeze(['en', 'es', 'pt']);

export interface DetectLanguageOptions {
  /** Languages the caller can answer in; the result is always one of them. */
  readonly candidates: readonly SupportedLanguage[];
  /** ISO 3166-1 alpha-2 country of the contact (from contactRegion), used when the text cannot decide. */
  readonly countryHint?: string;
}

const EN: readonly SupportedLanguage[] = ['en'];
const ES: readonly SupportedLanguage[] = ['es'];
const PT: readonly SupportedLanguage[] = ['pt'];
const ES_PT: readonly SupportedLanguage[] = ['es', 'pt'];
const EN_PT: readonly SupportedLanguage[] = ['en', 'pt'];

/**
 * Frequent chat words, written without accents, with the languages they are a word of. Words of all three ("no",
 * "me", "a") are left out: they say nothing. Words of two languages still count against the third. Loan words
 * every language uses in chat ("link", "ok") are left out too.
 */
const LEXICON: ReadonlyMap<string, readonly SupportedLanguage[]> = buildLexicon([
  [
    EN,
    `hi hello hey hiya thanks thank thx please pls plz good morning afternoon evening night yes yeah yep the an and
     or of to in on at for with from by about is are was were be been am im ive id its it this that these those
     there here what when where who why how which you your youre my mine we our they them she his her i not dont
     doesnt didnt cant wont isnt can could would should will shall does did have has had want need like get got
     know just any some tomorrow today tonight now also too very much many more appointment book booking order
     help sorry wrong number price available availability open opening hours call back talk speak send change
     cancel reschedule late minutes refund invoice bill receipt payment card working monday tuesday wednesday
     thursday friday saturday sunday`,
  ],
  [
    ES,
    `hola buenas buenos buen noches gracias porfa el la los las un una unos unas y en lo le les del al con mi
     mis su sus pero muy mucho mucha muchos muchas bien bueno buena es soy eres somos son estoy estan hay tengo
     tienes tiene tenemos tienen quiero quieres quisiera necesito necesita puedo puedes puede pueden hacer hago
     hace voy vas va van llega llego llegar llamar llamen hablar hablo yo usted ustedes vos ella ellos ellas eso
     esto estos esos aca alla ahi ahora hoy manana ayer ya tambien cuanto cuanta cuantos cual cuales cuando donde
     quien quienes si cita turno precio pregunta duda ayuda disculpa disculpe perdon oye che gustaria viernes
     equivocado cierran abren mandame factura pago tarjeta enlace contrasena cambiar entonces lunes martes miercoles
     jueves`,
  ],
  [
    PT,
    `oi ola obrigado obrigada obg bom boa boas noite tudo td bem blz beleza valeu vc vcs voce voces o os um uma umas
     uns e em na nas ao aos pelo pela pelos pelas com meu minha meus minhas seu sua seus suas muito muita muitos
     muitas sou estou estao tenho tem temos tenha quero queremos preciso precisa posso pode podem fazer faz vou vai
     vao chegou chegar chega ligar liga falar falo eu ele ela eles elas isso isto esse essa agora hoje amanha ontem
     ja tambem tb tbm quanto quanta quantos qual quais quando onde quem sim nao agendamento orcamento preco
     pergunta duvida ajuda desculpa desculpe perdao gostaria sexta errado fecham abrem entregam pagamento cartao
     senha mudar trocar cade pra pro ta ne entao ainda terca quarta quinta`,
  ],
  [
    ES_PT,
    `de que para por favor como tarde tardes dia dias te se nos dos todo nada algo porque mas esta estas este aqui vamos
     podemos reservar reserva cancelar consulta horario enviar envio envios mandar manda reembolso funciona sabado
     domingo gente vale nunca vemos`,
  ],
  // An English auxiliary and a Portuguese contraction ("do" = of the).
  [EN_PT, 'do'],
]);

/** Letters (and Spanish opening marks) that only one of the three languages writes; each counts once per text. */
const MARKS: ReadonlyMap<string, SupportedLanguage> = new Map<string, SupportedLanguage>([
  ...[...'ñ¿¡'].map((mark) => [mark, 'es'] as const),
  ...[...'ãõçâêôà'].map((mark) => [mark, 'pt'] as const),
]);

/** Where one of the languages is the one most contacts write in; used only when the text cannot decide. */
const COUNTRY_LANGUAGES: ReadonlyMap<string, SupportedLanguage> = new Map<string, SupportedLanguage>([
  ...['BR', 'PT', 'AO', 'MZ', 'CV', 'GW', 'ST', 'TL'].map((country) => [country, 'pt'] as const),
  // Spain and the Spanish-speaking countries of the Americas (Puerto Rico has its own ISO code).
  ...['ES', 'MX', 'GT', 'HN', 'SV', 'NI', 'CR', 'PA', 'CU', 'DO', 'PR', 'CO', 'VE', 'EC', 'PE', 'BO', 'CL']
    .concat(['AR', 'UY', 'PY'])
    .map((country) => [country, 'es'] as const),
  ...['US', 'GB', 'IE', 'CA', 'AU', 'NZ'].map((country) => [country, 'en'] as const),
]);

/** Longest text looked at: the first words of a message say its language; the rest only costs time. */
export const MAX_DETECTION_TEXT_LENGTH = 500;

const COMBINING_MARKS = /\p{M}/gu;
// Apostrophes go (don't → dont); anything else that is not a letter separates words.
const APOSTROPHES = /['’]/gu;
const NON_LETTERS = /[^\p{L}]+/u;

/**
 * The language a short chat message is written in, among `candidates`: the text's evidence first, then the
 * contact's country among the languages the text left tied, else `undefined`.
 */
export function detectLanguage(text: string, options: DetectLanguageOptions): SupportedLanguage | undefined {
  const candidates = SUPPORTED_LANGUAGES.filter((language) => options.candidates.includes(language));
  if (candidates.length === 0) {
    return undefined;
  }
  const scores = scoreText(text.slice(0, MAX_DETECTION_TEXT_LENGTH).normalize('NFC').toLowerCase());
  const best = Math.max(...candidates.map((language) => scores[language]));
  const leaders = candidates.filter((language) => scores[language] === best);
  if (leaders.length === 1 && best > 0) {
    return leaders[0];
  }
  const hinted = options.countryHint === undefined ? undefined : COUNTRY_LANGUAGES.get(options.countryHint);
  return hinted !== undefined && leaders.includes(hinted) ? hinted : undefined;
}

/** The country's usual language among the three, if it has one (exported for callers that only have a country). */
export function countryLanguage(country: string): SupportedLanguage | undefined {
  return COUNTRY_LANGUAGES.get(country);
}

function scoreText(lowerCased: string): Record<SupportedLanguage, number> {
  const scores: Record<SupportedLanguage, number> = { en: 0, es: 0, pt: 0 };
  for (const [mark, language] of MARKS) {
    if (lowerCased.includes(mark)) {
      scores[language] += 1;
    }
  }
  const plain = lowerCased.normalize('NFD').replace(COMBINING_MARKS, '').replace(APOSTROPHES, '');
  for (const word of plain.split(NON_LETTERS)) {
    for (const language of LEXICON.get(word) ?? []) {
      scores[language] += 1;
    }
  }
  return scores;
}

function buildLexicon(
  groups: readonly (readonly [readonly SupportedLanguage[], string])[],
): ReadonlyMap<string, readonly SupportedLanguage[]> {
  const lexicon = new Map<string, readonly SupportedLanguage[]>();
  for (const [languages, list] of groups) {
    for (const word of list.trim().split(/\s+/)) {
      // A word in two groups would count only for the later one: refuse to load instead.
      if (lexicon.has(word)) {
        throw new Error(`Language lexicon lists a word twice: ${word}`);
      }
      lexicon.set(word, languages);
    }
  }
  return lexicon;
}
