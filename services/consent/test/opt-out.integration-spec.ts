import { matchConsentKeyword } from '@trustline/compliance';
import { randomUUID } from 'node:crypto';
import { consentButtonId } from '../src/notices/notice-text.rules';
import { ConsentRig, type ContactHandle } from './support/consent-rig';

/** A contact per language: the wa_id prefix, and a first message in that language. */
const SPEAKERS = {
  en: { prefix: '1415', length: 11, text: 'Hi, do you have availability tomorrow?' },
  es: { prefix: '346', length: 11, text: 'Hola, quiero reservar una cita para mañana' },
  pt: { prefix: '55119', length: 13, text: 'Oi, tudo bem? Quero marcar um horário' },
} as const;

type Language = keyof typeof SPEAKERS;

/** The capitalised keyword a confirmation tells the contact to send. */
function keywordIn(text: string): string {
  const words = text.match(/\b[A-Z]{3,}\b/g) ?? [];
  expect(words).toHaveLength(1);
  return words[0]!;
}

describe('STOP and START', () => {
  let rig: ConsentRig;

  beforeAll(async () => {
    rig = await ConsentRig.start();
  });

  afterAll(async () => {
    await rig.destroy();
  });

  const granted = (language: Language) => rig.decidedContact(SPEAKERS[language]);

  describe.each([
    ['STOP', 'en', 'stop'],
    ['  stop!  ', 'en', 'stop'],
    ['🛑 Stop 🛑', 'en', 'stop'],
    ['ＳＴＯＰ', 'en', 'stop'],
    ['Unsubscribe.', 'en', 'unsubscribe'],
    ['Baja', 'es', 'baja'],
    ['DETENER!!', 'es', 'detener'],
    ['Párar', 'es', 'parar'],
    ['Sair 👋', 'pt', 'sair'],
    ['descadastrar', 'pt', 'descadastrar'],
  ] as const)('%j from a granted %s contact', (text, language, keyword) => {
    let contact: ContactHandle;
    let stopWamid: string;

    beforeAll(async () => {
      contact = await granted(language);
      stopWamid = await rig.inbound(contact, { text });
      await rig.waitForCommands(contact, 'opt-out-confirmation');
      await rig.quiet();
    });

    it('records the withdrawal of every purpose, with the keyword as evidence', async () => {
      const withdrawn = (await rig.ledgerOf(contact)).filter((r) => r.action === 'withdrawn');
      expect(withdrawn.map((r) => r.purpose)).toEqual(['assistant', 'marketing']);
      for (const record of withdrawn) {
        expect(record).toMatchObject({ channel: 'whatsapp-keyword', noticeVersion: 1, language });
        expect(record.evidence).toMatchObject({ messageId: stopWamid, keyword });
      }
      expect(await rig.subjectOf(contact)).toMatchObject({ status: 'opted-out' });
    });

    it('confirms with exactly one message, in their language, saying how to come back', async () => {
      const commands = rig.commandsTo(contact);
      expect(commands.map((c) => c.data.purpose)).toEqual(['opt-in-prompt', 'opt-out-confirmation']);
      const confirmation = commands[1];
      expect(confirmation.data.replyTo).toBe(stopWamid);
      const text = await rig.textOf(confirmation);
      expect(text).toContain('Acme Dental');
      expect(matchConsentKeyword(keywordIn(text))).toMatchObject({ intent: 'opt-in', languages: [language] });
    });

    it('suppresses everything but the confirmation, which goes only under its own outbound id', async () => {
      for (const purpose of ['conversation', 'agent', 'marketing', 'notification'] as const) {
        expect(await rig.permission(contact, purpose)).toEqual({ decision: 'deny', reason: 'suppressed' });
      }
      const [, confirmation] = rig.commandsTo(contact);
      const id = confirmation.data.outboundId;
      expect(await rig.permission(contact, 'opt-out-confirmation', id)).toEqual({
        decision: 'allow',
        basis: 'opt-out-confirmation',
      });
      expect(await rig.permission(contact, 'opt-out-confirmation', randomUUID())).toEqual({
        decision: 'deny',
        reason: 'suppressed',
      });
      expect(await rig.permission(contact, 'opt-in-prompt', id)).toEqual({ decision: 'deny', reason: 'suppressed' });
    });
  });

  describe('once opted out', () => {
    let contact: ContactHandle;

    beforeAll(async () => {
      contact = await granted('en');
      await rig.inbound(contact, { text: 'STOP' });
      await rig.waitForCommands(contact, 'opt-out-confirmation');
      await rig.quiet();
    });

    it('a second STOP sends nothing and records nothing', async () => {
      const before = (await rig.ledgerOf(contact)).length;
      await rig.inbound(contact, { text: 'stop' });
      await rig.inbound(contact, { text: 'STOPALL' });
      await rig.quiet();
      expect(rig.commandsTo(contact, 'opt-out-confirmation')).toHaveLength(1);
      expect(await rig.ledgerOf(contact)).toHaveLength(before);
    });

    it('ordinary messages are neither admitted nor kept, and nothing is sent', async () => {
      await rig.inbound(contact, { text: 'Hello? I need to change my appointment' });
      await rig.tap(contact, 'book-appointment');
      await rig.quiet();
      expect(await rig.admittedTo(contact)).toEqual([{ held: true, text: SPEAKERS.en.text }]);
      expect(await rig.heldCount(contact)).toBe(0);
      expect(rig.commandsTo(contact)).toHaveLength(2);
      expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'deny', reason: 'suppressed' });
    });
  });

  it('a sentence that contains the word does not opt anyone out', async () => {
    const contact = await granted('en');
    await rig.inbound(contact, { text: 'please stop sending me offers' });
    await rig.settle();
    await rig.waitForAdmitted(contact, 2);
    await rig.quiet();
    expect((await rig.admittedTo(contact))[1]).toEqual({ held: false, text: 'please stop sending me offers' });
    expect(rig.commandsTo(contact).map((c) => c.data.purpose)).toEqual(['opt-in-prompt']);
    expect((await rig.ledgerOf(contact)).filter((r) => r.action === 'withdrawn')).toEqual([]);
    expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
  });

  it('a marketing template’s STOP quick-reply opts out like the typed keyword', async () => {
    const contact = await granted('en');
    await rig.inbound(contact, { type: 'button', interaction: { kind: 'template_button', id: 'STOP' } });
    await rig.waitForCommands(contact, 'opt-out-confirmation');
    await rig.quiet();
    expect(rig.commandsTo(contact, 'opt-out-confirmation')).toHaveLength(1);
    expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'deny', reason: 'suppressed' });
  });

  describe.each([
    ['START', 'en'],
    ['Alta', 'es'],
    ['VOLTAR!', 'pt'],
  ] as const)('%j from an opted-out %s contact', (text, language) => {
    let contact: ContactHandle;
    let optOutId: string;

    beforeAll(async () => {
      contact = await granted(language);
      await rig.inbound(contact, { text: language === 'en' ? 'STOP' : language === 'es' ? 'BAJA' : 'SAIR' });
      await rig.waitForCommands(contact, 'opt-out-confirmation');
      optOutId = rig.commandsTo(contact, 'opt-out-confirmation')[0].data.outboundId;
      await rig.inbound(contact, { text });
      await rig.waitForCommands(contact, 'opt-in-confirmation');
      await rig.quiet();
    });

    it('grants again what they had agreed to, on the same notice version', async () => {
      const ledger = await rig.ledgerOf(contact);
      const regranted = ledger.slice(ledger.findLastIndex((r) => r.action === 'withdrawn') + 1);
      expect(regranted.map((r) => [r.action, r.purpose, r.channel, r.noticeVersion])).toEqual([
        ['granted', 'assistant', 'whatsapp-keyword', 1],
        ['granted', 'marketing', 'whatsapp-keyword', 1],
      ]);
      expect(await rig.subjectOf(contact)).toMatchObject({ status: 'granted', granted_version: 1 });
    });

    it('confirms with exactly one message naming how to leave again', async () => {
      const confirmations = rig.commandsTo(contact, 'opt-in-confirmation');
      expect(confirmations).toHaveLength(1);
      const words = await rig.textOf(confirmations[0]);
      expect(matchConsentKeyword(keywordIn(words))).toMatchObject({ intent: 'opt-out', languages: [language] });
      expect(await rig.permission(contact, 'opt-in-confirmation', confirmations[0].data.outboundId)).toEqual({
        decision: 'allow',
        basis: 'opt-in-confirmation',
      });
      expect(await rig.permission(contact, 'opt-out-confirmation', optOutId)).toMatchObject({ decision: 'deny' });
    });

    it('allows the conversation again, and their next message goes through', async () => {
      expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
      expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'allow', basis: 'consent' });
      await rig.inbound(contact, { text: 'thanks' });
      await rig.settle();
      await rig.waitForAdmitted(contact, 2);
      expect((await rig.admittedTo(contact))[1]).toEqual({ held: false, text: 'thanks' });
    });

    it('a second opt-in keyword sends nothing more', async () => {
      await rig.inbound(contact, { text });
      await rig.quiet();
      expect(rig.commandsTo(contact, 'opt-in-confirmation')).toHaveLength(1);
      expect(rig.commandsTo(contact)).toHaveLength(3);
    });
  });

  describe('a contact who says STOP before deciding', () => {
    let contact: ContactHandle;

    beforeAll(async () => {
      contact = rig.contact('1415', 11);
      await rig.inbound(contact, { text: SPEAKERS.en.text });
      await rig.waitForCommands(contact, 'opt-in-prompt');
      await rig.inbound(contact, { text: 'and one more thing' });
      await rig.inbound(contact, { text: 'STOP' });
      await rig.waitForCommands(contact, 'opt-out-confirmation');
      await rig.quiet();
    });

    it('has their held messages discarded, never admitted', async () => {
      expect(await rig.heldCount(contact)).toBe(0);
      expect(await rig.admittedTo(contact)).toEqual([]);
      expect((await rig.ledgerOf(contact)).filter((r) => r.action === 'withdrawn').map((r) => r.purpose)).toEqual([
        'assistant',
        'marketing',
      ]);
      expect(rig.commandsTo(contact, 'opt-out-confirmation')).toHaveLength(1);
    });

    it('is shown the notice, not granted anything, when they come back with START', async () => {
      await rig.inbound(contact, { text: 'START' });
      await rig.waitForCommands(contact, 'opt-in-prompt', 2);
      await rig.quiet();
      expect(rig.commandsTo(contact, 'opt-in-confirmation')).toEqual([]);
      expect((await rig.ledgerOf(contact)).filter((r) => r.action === 'granted')).toEqual([]);
      expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'deny', reason: 'no-consent' });

      await rig.tap(contact, consentButtonId('accept', 1));
      await rig.settle();
      expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
      // The START that brought the prompt is not a message for the conversation.
      expect(await rig.admittedTo(contact)).toEqual([]);
    });
  });
});
