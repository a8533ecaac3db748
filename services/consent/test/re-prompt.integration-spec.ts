import { sleep } from '@trustline/service-kit/testing';
import { consentButtonId } from '../src/notices/notice-text.rules';
import { ConsentRig, type ContactHandle } from './support/consent-rig';

const MAX_HELD = 6;

/** Messages sent one second apart, published out of order (the bus does not promise WhatsApp's order). */
function shuffledMessages(count: number): { text: string; sentAt: Date }[] {
  const base = Date.now() - 60_000;
  const messages = Array.from({ length: count }, (_, i) => ({
    text: `message ${i + 1} of ${count}`,
    sentAt: new Date(base + i * 1_000),
  }));
  return messages
    .map((m, i) => ({ m, key: (i * 7 + 3) % count }))
    .sort((a, b) => a.key - b.key)
    .map(({ m }) => m);
}

describe('re-prompt limits', () => {
  describe('with the default 24 h interval', () => {
    let rig: ConsentRig;

    beforeAll(async () => {
      rig = await ConsentRig.start({ env: { CONSENT_MAX_HELD_MESSAGES: String(MAX_HELD) } });
    });

    afterAll(async () => {
      await rig.destroy();
    });

    describe('a contact who writes five times without deciding', () => {
      let contact: ContactHandle;
      const messages = shuffledMessages(5);

      beforeAll(async () => {
        contact = rig.contact('1415', 11);
        for (const message of messages) {
          await rig.inbound(contact, message);
        }
        await rig.quiet();
      });

      it('gets exactly one prompt, recorded once', async () => {
        expect(rig.commandsTo(contact).map((c) => c.data.purpose)).toEqual(['opt-in-prompt']);
        const prompted = (await rig.ledgerOf(contact)).filter((r) => r.action === 'prompted');
        expect(prompted.map((r) => r.purpose)).toEqual(['assistant', 'marketing']);
        expect(await rig.subjectOf(contact)).toMatchObject({ status: 'prompted', prompted_version: 1 });
      });

      it('has every message held, none admitted', async () => {
        expect(await rig.heldCount(contact)).toBe(5);
        expect(await rig.admittedTo(contact)).toEqual([]);
      });

      it('on acceptance, has every held message admitted in the order they were sent', async () => {
        await rig.tap(contact, consentButtonId('accept-all', 1));
        await rig.settle();
        await rig.waitForAdmitted(contact, 5);
        const admitted = await rig.admittedTo(contact);
        const inSentOrder = [...messages].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
        expect(admitted).toEqual(inSentOrder.map((m) => ({ held: true, text: m.text })));
        expect(await rig.heldCount(contact)).toBe(0);
        expect(rig.commandsTo(contact)).toHaveLength(1);
      });
    });

    it(`holds at most CONSENT_MAX_HELD_MESSAGES (${MAX_HELD}) per contact; later ones are dropped`, async () => {
      const contact = rig.contact('1415', 11);
      for (let i = 1; i <= MAX_HELD + 3; i += 1) {
        await rig.inbound(contact, { text: `note ${i}` });
      }
      await rig.quiet();
      expect(await rig.heldCount(contact)).toBe(MAX_HELD);
      expect(rig.commandsTo(contact)).toHaveLength(1);

      await rig.tap(contact, consentButtonId('accept', 1));
      await rig.settle();
      await rig.waitForAdmitted(contact, MAX_HELD);
      await rig.quiet();
      const admitted = await rig.admittedTo(contact);
      expect(admitted).toHaveLength(MAX_HELD);
      expect(admitted.every((m) => m.held)).toBe(true);
      expect(await rig.heldCount(contact)).toBe(0);
    });
  });

  describe('with a short interval (CONSENT_PROMPT_INTERVAL_HOURS=0.0005, 1.8 s)', () => {
    let rig: ConsentRig;

    beforeAll(async () => {
      rig = await ConsentRig.start({ env: { CONSENT_PROMPT_INTERVAL_HOURS: '0.0005' } });
    });

    afterAll(async () => {
      await rig.destroy();
    });

    it('shows the prompt again to a contact who writes after the interval, not before', async () => {
      const contact = rig.contact('55119', 13);
      const first = Date.now() - 10_000;
      await rig.inbound(contact, { text: 'Oi, tudo bem?', sentAt: new Date(first) });
      await rig.waitForCommands(contact, 'opt-in-prompt');
      await rig.inbound(contact, { text: 'Alguém aí?', sentAt: new Date(first + 1_000) });
      await rig.quiet();
      expect(rig.commandsTo(contact)).toHaveLength(1);

      await sleep(2_000);
      await rig.inbound(contact, { text: 'Olá?' });
      await rig.waitForCommands(contact, 'opt-in-prompt', 2);
      await rig.quiet();
      const prompts = rig.commandsTo(contact);
      expect(prompts.map((c) => c.data.purpose)).toEqual(['opt-in-prompt', 'opt-in-prompt']);
      expect(prompts[0].data.outboundId).not.toBe(prompts[1].data.outboundId);
      expect((await rig.promptOf(prompts[1])).body).toContain('IA (inteligência artificial)');
      // Only the latest prompt may go out now.
      expect(await rig.permission(contact, 'opt-in-prompt', prompts[1].data.outboundId)).toMatchObject({
        decision: 'allow',
      });
      expect(await rig.permission(contact, 'opt-in-prompt', prompts[0].data.outboundId)).toMatchObject({
        decision: 'deny',
      });
      expect((await rig.ledgerOf(contact)).filter((r) => r.action === 'prompted')).toHaveLength(4);
      expect(await rig.heldCount(contact)).toBe(3);

      await rig.tap(contact, consentButtonId('accept', 1));
      await rig.settle();
      await rig.waitForAdmitted(contact, 3);
      expect((await rig.admittedTo(contact)).map((m) => m.text)).toEqual(['Oi, tudo bem?', 'Alguém aí?', 'Olá?']);
    });

    it('a declined contact who writes after the interval is asked again', async () => {
      const contact = await rig.decidedContact({ choice: 'decline' });
      await sleep(2_000);
      await rig.inbound(contact, { text: 'Actually, one question' });
      await rig.waitForCommands(contact, 'opt-in-prompt', 2);
      await rig.quiet();
      expect(await rig.subjectOf(contact)).toMatchObject({ status: 'prompted' });
      expect(await rig.admittedTo(contact)).toEqual([]);
    });
  });
});
