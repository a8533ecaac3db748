import { consentButtonId } from '../src/notices/notice-text.rules';
import { ConsentRig } from './support/consent-rig';

describe('first contact: the opt-in flow', () => {
  let rig: ConsentRig;

  beforeAll(async () => {
    rig = await ConsentRig.start();
  });

  afterAll(async () => {
    await rig.destroy();
  });

  it.each([
    [
      'en',
      '1415',
      'Hi, do you have availability tomorrow?',
      'AI (artificial intelligence)',
      'Accept all',
      'us-ca-ccpa',
    ],
    [
      'es',
      '34',
      'Hola, quiero reservar una cita para mañana',
      'IA (inteligencia artificial)',
      'Aceptar todo',
      'es-lopdgdd',
    ],
    ['pt', '55119', 'Oi, tudo bem? Quero marcar um horário', 'IA (inteligência artificial)', 'Aceitar tudo', 'br-lgpd'],
  ])(
    '%s: holds the first message, prompts once in the contact’s language, and admits it on acceptance',
    async (language, prefix, first, disclosure, acceptAllTitle, regime) => {
      const contact = rig.contact(prefix, prefix.startsWith('55') ? 13 : 11);
      await rig.inbound(contact, { text: first });
      await rig.waitForCommands(contact, 'opt-in-prompt');
      await rig.settle();
      const [prompt] = rig.commandsTo(contact, 'opt-in-prompt');
      const message = (await rig.messageOf(prompt)) as {
        type: string;
        body: string;
        buttons: { id: string; title: string }[];
      };
      expect(message.type).toBe('buttons');
      expect(message.body).toContain('Acme Dental');
      expect(message.body).toContain(disclosure);
      expect(message.body).toContain('https://acme-dental.example/privacy');
      expect(message.buttons.map((b) => b.id)).toEqual([
        consentButtonId('accept', 1),
        consentButtonId('accept-all', 1),
        consentButtonId('decline', 1),
      ]);
      expect(message.buttons[1].title).toBe(acceptAllTitle);
      // Held, not processed: nothing reaches the conversation, and the only thing allowed out is this prompt.
      expect(await rig.admittedTo(contact)).toEqual([]);
      expect(await rig.permission(contact, 'opt-in-prompt', prompt.data.outboundId)).toEqual({
        decision: 'allow',
        basis: 'opt-in-prompt',
      });
      expect(await rig.permission(contact, 'conversation')).toMatchObject({ decision: 'deny', reason: 'no-consent' });
      expect(await rig.permission(contact, 'opt-in-prompt')).toMatchObject({ decision: 'deny' });

      await rig.tap(contact, consentButtonId('accept-all', 1));
      await rig.quiet();
      expect(await rig.admittedTo(contact)).toEqual([{ held: true, text: first }]);
      expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
      expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'allow', basis: 'consent' });

      const mine = rig.decisions.filter((d) => d.data.subjectRef === contact.contactRef).map((d) => d.data);
      expect(
        mine
          .filter((d) => d.action === 'granted')
          .map((d) => d.purpose)
          .sort(),
      ).toEqual(['assistant', 'marketing']);
      for (const record of mine) {
        expect(record).toMatchObject({ regime, noticeVersion: 1, lawfulBasis: 'consent' });
      }
      expect(mine.find((d) => d.action === 'granted')).toMatchObject({
        channel: 'whatsapp-button',
        language,
        evidence: { buttonId: consentButtonId('accept-all', 1), inReplyTo: 'wamid.PROMPT0001' },
      });

      // From now on messages go straight through.
      await rig.inbound(contact, { text: 'one more thing' });
      await rig.quiet();
      expect(await rig.admittedTo(contact)).toEqual([
        { held: true, text: first },
        { held: false, text: 'one more thing' },
      ]);
      expect(rig.commandsTo(contact)).toHaveLength(1);
    },
  );
});
