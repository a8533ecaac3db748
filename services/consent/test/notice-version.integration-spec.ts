import { sleep } from '@trustline/service-kit/testing';
import { consentButtonId } from '../src/notices/notice-text.rules';
import { ConsentRig, type ContactHandle } from './support/consent-rig';

/** The stored text of a notice version in a language (`notice` table). */
async function storedNotice(rig: ConsentRig, version: number, language: string) {
  const rows: { prompt: string; purposes: unknown }[] = await rig.harness.db.query(
    `SELECT "prompt", "purposes" FROM "consent"."notice" WHERE "tenant_id" = 'acme-dental' AND "version" = $1 AND "language" = $2`,
    [version, language],
  );
  return rows[0];
}

describe('notice version change', () => {
  describe('a new version that asks for more', () => {
    let rig: ConsentRig;
    let contact: ContactHandle;

    beforeAll(async () => {
      rig = await ConsentRig.start({ notices: [['assistant']] });
      contact = await rig.decidedContact({ prefix: '1415', text: 'Hi there, can I book for Friday?' });
      expect(await rig.permission(contact, 'conversation')).toMatchObject({ decision: 'allow' });
      rig = await rig.restart({ notices: [['assistant'], ['assistant', 'marketing?']] });
      await rig.inbound(contact, { text: 'Also, do you open on Saturdays?' });
      await rig.waitForCommands(contact, 'opt-in-prompt');
      await rig.quiet();
    });

    afterAll(async () => {
      await rig.destroy();
    });

    it('holds the contact’s next message and prompts with the new version’s buttons', async () => {
      expect(await rig.admittedTo(contact)).toEqual([]);
      expect(await rig.heldCount(contact)).toBe(1);
      const [command] = rig.commandsTo(contact);
      const prompt = await rig.promptOf(command);
      expect(prompt.buttons.map((b) => b.id)).toEqual([
        consentButtonId('accept', 2),
        consentButtonId('accept-all', 2),
        consentButtonId('decline', 2),
      ]);
      const prompted = (await rig.ledgerOf(contact)).filter((r) => r.action === 'prompted' && r.noticeVersion === 2);
      expect(prompted.map((r) => r.purpose)).toEqual(['assistant', 'marketing']);
    });

    it('denies the conversation until they decide', async () => {
      expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'deny', reason: 'no-consent' });
      expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'deny', reason: 'no-consent' });
      const [command] = rig.commandsTo(contact);
      expect(await rig.permission(contact, 'opt-in-prompt', command.data.outboundId)).toMatchObject({
        decision: 'allow',
      });
    });

    it('a tap on the old version’s button does not count (the new notice was just shown: no second prompt)', async () => {
      await rig.tap(contact, consentButtonId('accept', 1));
      await rig.quiet();
      expect(rig.commandsTo(contact, 'opt-in-prompt')).toHaveLength(1);
      expect((await rig.ledgerOf(contact)).filter((r) => r.channel === 'whatsapp-button')).toHaveLength(1);
      expect(await rig.permission(contact, 'conversation')).toMatchObject({ decision: 'deny' });
    });

    it('the decision on the new version admits the held message and allows the conversation again', async () => {
      await rig.tap(contact, consentButtonId('accept-all', 2));
      await rig.settle();
      await rig.waitForAdmitted(contact, 1);
      expect(await rig.admittedTo(contact)).toEqual([{ held: true, text: 'Also, do you open on Saturdays?' }]);
      expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
      expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'allow', basis: 'consent' });
      const granted = (await rig.ledgerOf(contact)).filter((r) => r.action === 'granted' && r.noticeVersion === 2);
      expect(granted.map((r) => r.purpose)).toEqual(['assistant', 'marketing']);
    });

    it('keeps each version’s prompt exactly as shown', async () => {
      const [first] = rig.commandsTo(contact, 'opt-in-prompt');
      const stored = await storedNotice(rig, 2, 'en');
      expect(JSON.parse(stored.prompt)).toEqual(await rig.promptOf(first));
      expect(stored.purposes).toEqual([
        { purpose: 'assistant', required: true, lawfulBasis: 'consent' },
        { purpose: 'marketing', required: false, lawfulBasis: 'consent' },
      ]);
      expect(JSON.parse((await storedNotice(rig, 1, 'en')).prompt)).toMatchObject({
        buttons: [{ id: consentButtonId('accept', 1) }, { id: consentButtonId('decline', 1) }],
      });
    });
  });

  describe('a new version that asks for the same, and a changed text for a version already shown', () => {
    let rig: ConsentRig;
    let contact: ContactHandle;

    beforeAll(async () => {
      rig = await ConsentRig.start({ notices: [['assistant']] });
      contact = await rig.decidedContact({ prefix: '1415', text: 'Hi there, can I book for Friday?' });
    });

    afterAll(async () => {
      await rig.destroy();
    });

    it('does not re-prompt when the purposes stay the same', async () => {
      rig = await rig.restart({ notices: [['assistant'], ['assistant']] });
      await rig.inbound(contact, { text: 'And on Saturday?' });
      await rig.settle();
      await rig.waitForAdmitted(contact, 1);
      await rig.quiet();
      expect(await rig.admittedTo(contact)).toEqual([{ held: false, text: 'And on Saturday?' }]);
      expect(rig.commandsTo(contact)).toEqual([]);
      expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
    });

    it('refuses to show a version’s text changed after it was first shown: the prompt is retried, never sent', async () => {
      const newcomer = rig.contact('1415', 11);
      await rig.inbound(newcomer, { text: 'Hello, are you open today?' });
      await rig.waitForCommands(newcomer, 'opt-in-prompt');
      const shown = (await storedNotice(rig, 2, 'en')).prompt;

      rig = await rig.restart({
        notices: [['assistant'], ['assistant']],
        tenantOverrides: { businessName: 'Acme Dental Clinic' },
      });
      const other = rig.contact('1415', 11);
      const envelope = await rig.inboundEnvelope(other, { text: 'Hello, is anyone there?' });
      await rig.publishInbound(envelope);
      // The control: a Spanish speaker is shown version 2 in Spanish, never shown before, under the new name.
      const hispanic = rig.contact('346', 11);
      await rig.inbound(hispanic, { text: 'Hola, ¿está abierto hoy?' });
      await rig.waitForCommands(hispanic, 'opt-in-prompt');
      expect((await rig.promptOf(rig.commandsTo(hispanic)[0])).body).toContain('Acme Dental Clinic');
      // Give the English one time for its first attempts (and the outbox to publish anything they staged).
      await sleep(1_500);
      expect(await rig.applied(envelope.id)).toBe(false);
      expect(await rig.harness.count('outbox_event')).toBe(0);
      expect(rig.commandsTo(other)).toEqual([]);
      expect(await rig.subjectOf(other)).toBeUndefined();
      expect(await rig.heldCount(other)).toBe(0);
      expect((await storedNotice(rig, 2, 'en')).prompt).toBe(shown);
    });
  });
});
