import { matchConsentKeyword } from '@trustline/compliance';
import type { ConsentPurpose } from '@trustline/contracts';
import fc from 'fast-check';
import { NOTICE_LANGUAGES, type ConsentPolicy, type NoticeLanguage, type NoticeVersion } from './consent-policy';
import {
  checkPromptLimits,
  consentButtonId,
  MAX_BODY_CHARS,
  MAX_BUTTON_TITLE_CHARS,
  MAX_FOOTER_CHARS,
  parseConsentButton,
  renderOptInConfirmation,
  renderOptOutConfirmation,
  renderPrompt,
  type ConsentChoice,
} from './notice-text.rules';

const policy: ConsentPolicy = {
  businessName: 'Acme Dental',
  privacyPolicyUrl: 'https://acme-dental.example/privacy',
  languages: ['en', 'es', 'pt'],
  notices: [],
};

const everything: NoticeVersion = {
  version: 4,
  purposes: [
    { purpose: 'assistant', required: true, lawfulBasis: 'consent' },
    { purpose: 'notifications', required: false, lawfulBasis: 'consent' },
    { purpose: 'marketing', required: false, lawfulBasis: 'consent' },
  ],
};
const assistantOnly: NoticeVersion = {
  version: 1,
  purposes: [{ purpose: 'assistant', required: true, lawfulBasis: 'consent' }],
};

/** What each language must say, in its own words. */
const EXPECTED: Record<
  NoticeLanguage,
  { ai: string; purposes: Record<ConsentPurpose, string>; optional: string; titles: [string, string, string] }
> = {
  en: {
    ai: 'It is an AI (artificial intelligence), not a person',
    purposes: { assistant: 'answering your questions', notifications: 'service notifications', marketing: 'offers' },
    optional: '(optional)',
    titles: ['Essential only', 'Accept all', 'Decline'],
  },
  es: {
    ai: 'Es una IA (inteligencia artificial), no una persona',
    purposes: {
      assistant: 'responder tus preguntas',
      notifications: 'notificaciones del servicio',
      marketing: 'ofertas',
    },
    optional: '(opcional)',
    titles: ['Solo lo esencial', 'Aceptar todo', 'Rechazar'],
  },
  pt: {
    ai: 'É uma IA (inteligência artificial), não uma pessoa',
    purposes: {
      assistant: 'responder às suas perguntas',
      notifications: 'notificações do serviço',
      marketing: 'ofertas',
    },
    optional: '(opcional)',
    titles: ['Só o essencial', 'Aceitar tudo', 'Recusar'],
  },
};

/** Words written in capitals (3+ letters): the keywords a text tells the contact to send. */
function capitalisedWords(text: string): string[] {
  return text.match(/\b[A-Z]{3,}\b/g) ?? [];
}

describe.each(NOTICE_LANGUAGES)('the %s texts', (language) => {
  const expected = EXPECTED[language];
  const prompt = renderPrompt(policy, everything, language);
  const bullets = prompt.body.split('\n').filter((line) => line.startsWith('• '));

  it('name the business, say plainly that the assistant is an AI, and link the privacy policy', () => {
    expect(prompt.body).toContain('Acme Dental');
    expect(prompt.body).toContain(expected.ai);
    expect(prompt.body).toContain('https://acme-dental.example/privacy');
    expect(prompt.footer).toBe('Acme Dental');
  });

  it('state each purpose on its own line, optional ones marked, before the question', () => {
    expect(bullets).toHaveLength(3);
    expect(bullets[0]).toContain(expected.purposes.assistant);
    expect(bullets[0]).not.toContain(expected.optional);
    expect(bullets[1]).toContain(expected.purposes.notifications);
    expect(bullets[1]).toContain(expected.optional);
    expect(bullets[2]).toContain(expected.purposes.marketing);
    expect(bullets[2]).toContain(expected.optional);
    expect(prompt.body.indexOf(bullets[2])).toBeLessThan(prompt.body.lastIndexOf('?'));
  });

  it('name only the purposes the notice asks for', () => {
    const body = renderPrompt(policy, assistantOnly, language).body;
    expect(body.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(1);
    expect(body).toContain(expected.purposes.assistant);
    expect(body).not.toContain(expected.purposes.notifications);
    expect(body).not.toContain(expected.optional);
  });

  it('say how to withdraw with a keyword the opt-out matcher knows', () => {
    const keywords = capitalisedWords(prompt.body);
    expect(keywords).toHaveLength(1);
    expect(matchConsentKeyword(keywords[0])).toMatchObject({ intent: 'opt-out' });
  });

  it('confirm an opt-out naming the business and a keyword the opt-in matcher knows', () => {
    const confirmation = renderOptOutConfirmation(policy, language);
    expect(confirmation).toContain('Acme Dental');
    const keywords = capitalisedWords(confirmation);
    expect(keywords).toHaveLength(1);
    expect(matchConsentKeyword(keywords[0])).toMatchObject({ intent: 'opt-in' });
  });

  it('confirm an opt-in naming the business and how to leave again', () => {
    const confirmation = renderOptInConfirmation(policy, language);
    expect(confirmation).toContain('Acme Dental');
    const keywords = capitalisedWords(confirmation);
    expect(keywords).toHaveLength(1);
    expect(matchConsentKeyword(keywords[0])).toMatchObject({ intent: 'opt-out' });
  });

  it('offer essential / all / decline when there are optional purposes, accept / decline otherwise', () => {
    expect(prompt.buttons).toEqual([
      { id: 'consent:accept:4', title: expected.titles[0] },
      { id: 'consent:accept-all:4', title: expected.titles[1] },
      { id: 'consent:decline:4', title: expected.titles[2] },
    ]);
    const simple = renderPrompt(policy, assistantOnly, language);
    expect(simple.buttons.map((b) => b.id)).toEqual(['consent:accept:1', 'consent:decline:1']);
    expect(simple.buttons[1].title).toBe(expected.titles[2]);
  });

  it('stay within WhatsApp’s limits, even for the longest business name the tenants file allows', () => {
    const long: ConsentPolicy = {
      ...policy,
      businessName: 'B'.repeat(60),
      privacyPolicyUrl: `https://${'a'.repeat(60)}.example/${'p'.repeat(80)}`,
    };
    for (const notice of [everything, assistantOnly]) {
      const rendered = renderPrompt(long, notice, language);
      expect(rendered.body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
      expect(rendered.footer.length).toBeLessThanOrEqual(MAX_FOOTER_CHARS);
      for (const button of rendered.buttons) {
        expect(button.title.length).toBeLessThanOrEqual(MAX_BUTTON_TITLE_CHARS);
        expect(button.title.trim()).toBe(button.title);
      }
      expect(new Set(rendered.buttons.map((b) => b.title)).size).toBe(rendered.buttons.length);
      expect(new Set(rendered.buttons.map((b) => b.id)).size).toBe(rendered.buttons.length);
    }
  });

  it('have button ids that read back as the choice and version they were made from', () => {
    for (const button of prompt.buttons) {
      const parsed = parseConsentButton(button.id);
      expect(parsed).toBeDefined();
      expect(consentButtonId(parsed!.choice, parsed!.version)).toBe(button.id);
      expect(parsed!.version).toBe(4);
    }
  });
});

it('the footer is the business name cut to WhatsApp’s footer limit', () => {
  const rendered = renderPrompt({ ...policy, businessName: 'x'.repeat(90) }, assistantOnly, 'en');
  expect(rendered.footer).toBe('x'.repeat(MAX_FOOTER_CHARS));
});

describe(parseConsentButton.name, () => {
  const choices: ConsentChoice[] = ['accept', 'accept-all', 'decline'];

  it('round-trips every choice and version (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...choices), fc.integer({ min: 1, max: 999_999_999 }), (choice, version) => {
        expect(parseConsentButton(consentButtonId(choice, version))).toEqual({ choice, version });
      }),
    );
  });

  it('parses nothing but the well-formed ids (property)', () => {
    const ids = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      // Near misses: the right shape with arbitrary parts.
      fc
        .tuple(fc.constantFrom('consent', 'Consent', 'consent ', ''), fc.string({ maxLength: 12 }), fc.string())
        .map(([prefix, choice, version]) => `${prefix}:${choice}:${version}`),
      fc
        .tuple(fc.constantFrom(...choices), fc.string({ unit: fc.constantFrom('0', '1', '9', ' ', '-', '+', '\n') }))
        .map(([choice, version]) => `consent:${choice}:${version}`),
    );
    fc.assert(
      fc.property(ids, (id) => {
        const parsed = parseConsentButton(id);
        if (parsed !== undefined) {
          // Whatever parses is exactly the canonical id of what it parsed to.
          expect(consentButtonId(parsed.choice, parsed.version)).toBe(id);
          expect(Number.isSafeInteger(parsed.version) && parsed.version >= 1).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    'consent:accept:0',
    'consent:accept:01',
    'consent:accept:-1',
    'consent:accept:1.5',
    'consent:accept:1234567890',
    'consent:accept:1\n',
    ' consent:accept:1',
    'consent:ACCEPT:1',
    'consent:accept_all:1',
    'consent:maybe:1',
    'consent:accept',
    'consent:accept:1:extra',
    'CONSENT:accept:1',
    'consent:accept:１',
  ])('refuses %j', (id) => {
    expect(parseConsentButton(id)).toBeUndefined();
  });
});

describe(checkPromptLimits.name, () => {
  it('finds nothing wrong with an ordinary policy', () => {
    expect(checkPromptLimits({ ...policy, notices: [assistantOnly, everything] })).toEqual([]);
  });

  it('names the notice and language of a prompt too long for WhatsApp, and nothing else', () => {
    const url = `https://acme-dental.example/${'p'.repeat(700)}`;
    const problems = checkPromptLimits({ ...policy, privacyPolicyUrl: url, notices: [everything] });
    expect(problems).toEqual([
      'notice 4 (en): the prompt is longer than 1024 characters',
      'notice 4 (es): the prompt is longer than 1024 characters',
      'notice 4 (pt): the prompt is longer than 1024 characters',
    ]);
    expect(problems.join(' ')).not.toContain('ppp');
  });

  it('checks only the languages the tenant offers', () => {
    const url = `https://acme-dental.example/${'p'.repeat(700)}`;
    expect(checkPromptLimits({ ...policy, languages: ['pt'], privacyPolicyUrl: url, notices: [everything] })).toEqual([
      'notice 4 (pt): the prompt is longer than 1024 characters',
    ]);
  });
});
