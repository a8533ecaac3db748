/**
 * Opt-out / opt-in keyword recognition for inbound WhatsApp messages (EN, ES, PT).
 *
 * A keyword is a WHOLE message: after normalisation the message must equal a keyword (or one of its declared spaced
 * spellings). A sentence that merely contains the word ("stop by tomorrow", "please stop sending me promos") is not a
 * keyword message; what a sentence means is the conversation layer's job, not this table's. No fuzzy matching: a typo
 * ("stopp") is left to the conversation layer too, so the ledger only records withdrawals the user unmistakably sent.
 */

export type KeywordIntent = 'opt-out' | 'opt-in';
export type KeywordLanguage = 'en' | 'es' | 'pt';

export interface KeywordMatch {
  readonly intent: KeywordIntent;
  /** The canonical keyword (normalised form), e.g. `stop`, `optout`. */
  readonly keyword: string;
  /** Languages the keyword belongs to; more than one when the word is the same in several (e.g. `cancelar`). */
  readonly languages: readonly KeywordLanguage[];
}

export interface ConsentKeyword {
  /** Normalised form: lower-case ASCII letters, no spaces, no digits. */
  readonly keyword: string;
  readonly languages: readonly KeywordLanguage[];
  /**
   * Compounds people also write as two words ("opt out", "stop all"). Listed explicitly instead of deleting every
   * space, so that two ordinary words never fuse into a keyword by accident (Spanish "de tener" is not DETENER).
   * Hyphens and other punctuation need no entry: normalisation deletes them ("OPT-OUT" → "optout").
   */
  readonly spacedForms?: readonly string[];
}

/**
 * Opt-out: the list the issue requires (CTIA/carrier set for EN, plus ES and PT), and nothing more — a keyword that
 * also reads as ordinary chat would suppress people who never asked to leave.
 * - PARAR and PARE are the same verb in Spanish and Portuguese ("PARE" is the stop sign in much of Latin America),
 *   so both list both languages; CANCELAR likewise.
 * Rejected: ALTO (Mexican "stop", but also "tall/loud", and one letter away from the opt-in ALTA); phrases such as
 * "unsubscribe me", "stop it", "darme de baja" (open-ended — once phrases count, every sentence is a candidate; the
 * conversation layer recognises intent in free text).
 */
export const OPT_OUT_KEYWORDS: readonly ConsentKeyword[] = freeze([
  { keyword: 'stop', languages: ['en'] },
  { keyword: 'stopall', languages: ['en'], spacedForms: ['stop all'] },
  { keyword: 'unsubscribe', languages: ['en'] },
  { keyword: 'cancel', languages: ['en'] },
  { keyword: 'end', languages: ['en'] },
  { keyword: 'quit', languages: ['en'] },
  { keyword: 'revoke', languages: ['en'] },
  { keyword: 'optout', languages: ['en'], spacedForms: ['opt out'] },
  { keyword: 'parar', languages: ['es', 'pt'] },
  { keyword: 'baja', languages: ['es'] },
  { keyword: 'detener', languages: ['es'] },
  { keyword: 'cancelar', languages: ['es', 'pt'] },
  { keyword: 'sair', languages: ['pt'] },
  { keyword: 'pare', languages: ['pt', 'es'] },
  { keyword: 'descadastrar', languages: ['pt'] },
]);

/**
 * Opt-in (re-subscribe after an opt-out). A false opt-in messages someone who said stop, so this list is the
 * stricter one: only words whose sole plausible meaning, sent alone, is "message me again".
 * - START, UNSTOP: carrier-standard; SUBSCRIBE, OPTIN ("opt in"): explicit consent vocabulary, nothing else to mean.
 * - ALTA (es, "darse de alta"), VOLTAR (pt, "come back"): required by the issue. VOLTAR is also a menu "back" command,
 *   but a suppressed user receives no menus, so from them it reads as "I'm back"; the opt-in is confirmed anyway.
 * - INICIAR (es and pt): START's translation, in the opt-in sets LATAM messaging vendors configure. Only the word
 *   alone counts, so "iniciar sesión" or "quero iniciar o atendimento" stays a sentence for the conversation layer.
 * Rejected: YES / SÍ / SIM / OK (everyday answers — replying "yes" to any question must not undo an opt-out, although
 * Twilio's default opt-in set has YES); COMENZAR / EMPEZAR / COMEÇAR (generic "begin", not used as opt-in keywords);
 * REATIVAR / REACTIVAR (usually about an account or product); VOLVER (Spanish "go back", too common). A user who
 * wants messages back can send a listed keyword or use the opt-in button.
 */
export const OPT_IN_KEYWORDS: readonly ConsentKeyword[] = freeze([
  { keyword: 'start', languages: ['en'] },
  { keyword: 'unstop', languages: ['en'] },
  { keyword: 'subscribe', languages: ['en'] },
  { keyword: 'optin', languages: ['en'], spacedForms: ['opt in'] },
  { keyword: 'alta', languages: ['es'] },
  { keyword: 'voltar', languages: ['pt'] },
  { keyword: 'iniciar', languages: ['es', 'pt'] },
]);

/**
 * Longest trimmed message (UTF-16 code units) still examined. The longest keyword has 12 letters; the rest leaves
 * room for emoji and punctuation around it. Anything longer is a sentence, and is rejected before normalisation so a
 * hostile multi-megabyte message costs no more than a trim.
 */
export const MAX_KEYWORD_MESSAGE_LENGTH = 64;

// Pictographs go first, before compatibility decomposition, because some of them decompose into letters
// (™ → "TM", ℹ → "i", Ⓜ → "M") that would otherwise survive as text.
const PICTOGRAPHS = /\p{Extended_Pictographic}/gu;
const COMBINING_MARKS = /\p{M}/gu;
// Punctuation, symbols (incl. emoji modifiers, flags' regional indicators), invisible format characters
// (zero-width space/joiner, BOM, soft hyphen, bidi marks, emoji tags), private-use, unassigned, lone surrogates.
const DELETED = /[\p{P}\p{S}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/gu;
// Any whitespace, separator or control character (tab, newline, NBSP, ideographic space, NUL…) separates words.
const SEPARATORS = /[\s\p{Z}\p{Cc}]+/gu;

/**
 * Normal form used for keyword comparison: pictographs removed; NFKD (full-width and other compatibility forms →
 * ASCII, and accents split off — the same as NFKC followed by NFD); combining marks removed; lower-cased; punctuation,
 * symbols and invisible characters deleted; whitespace runs collapsed to one space; trimmed. Digits are kept, so
 * "STOP 2" stays "stop 2" and never equals a keyword.
 */
export function normalizeKeywordText(text: string): string {
  return text
    .replace(PICTOGRAPHS, '')
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(DELETED, '')
    .replace(SEPARATORS, ' ')
    .trim();
}

const MATCHES: ReadonlyMap<string, KeywordMatch> = buildMatchTable();

/** The keyword a whole message is, if it is one; `undefined` for anything else (including sentences). */
export function matchConsentKeyword(text: string): KeywordMatch | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_KEYWORD_MESSAGE_LENGTH) {
    return undefined;
  }
  return MATCHES.get(normalizeKeywordText(trimmed));
}

function buildMatchTable(): Map<string, KeywordMatch> {
  const table = new Map<string, KeywordMatch>();
  const add = (intent: KeywordIntent, entries: readonly ConsentKeyword[]): void => {
    for (const entry of entries) {
      const match: KeywordMatch = Object.freeze({ intent, keyword: entry.keyword, languages: entry.languages });
      for (const form of [entry.keyword, ...(entry.spacedForms ?? [])]) {
        // A form in both lists would make the outcome depend on list order; refuse to load instead.
        if (table.has(form)) {
          throw new Error(`Consent keyword form is listed twice: ${form}`);
        }
        table.set(form, match);
      }
    }
  };
  add('opt-out', OPT_OUT_KEYWORDS);
  add('opt-in', OPT_IN_KEYWORDS);
  return table;
}

function freeze(entries: ConsentKeyword[]): readonly ConsentKeyword[] {
  return Object.freeze(
    entries.map((entry) =>
      Object.freeze({
        ...entry,
        languages: Object.freeze([...entry.languages]),
        ...(entry.spacedForms ? { spacedForms: Object.freeze([...entry.spacedForms]) } : {}),
      }),
    ),
  );
}
