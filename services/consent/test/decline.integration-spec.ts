import { consentButtonId } from '../src/notices/notice-text.rules';
import { ConsentRig, type ContactHandle } from './support/consent-rig';

describe('decline: the held message is discarded and nothing more is sent', () => {
  let rig: ConsentRig;
  let contact: ContactHandle;
  let tapWamid: string;

  beforeAll(async () => {
    rig = await ConsentRig.start();
    contact = rig.contact('346', 11);
    await rig.inbound(contact, { text: 'Hola, quiero reservar una cita para mañana' });
    await rig.waitForCommands(contact, 'opt-in-prompt');
    tapWamid = await rig.tap(contact, consentButtonId('decline', 1));
    await rig.quiet();
  });

  afterAll(async () => {
    await rig.destroy();
  });

  it('discards the held message: it never reaches the conversation and is not kept', async () => {
    expect(await rig.admittedTo(contact)).toEqual([]);
    expect(await rig.heldCount(contact)).toBe(0);
    expect(await rig.subjectOf(contact)).toMatchObject({ status: 'declined', granted_version: null });
  });

  it('records the decline of every purpose on the notice, with the tap as evidence', async () => {
    const ledger = await rig.ledgerOf(contact);
    expect(ledger.map((r) => [r.action, r.purpose, r.channel])).toEqual([
      ['prompted', 'assistant', 'whatsapp-prompt'],
      ['prompted', 'marketing', 'whatsapp-prompt'],
      ['declined', 'assistant', 'whatsapp-button'],
      ['declined', 'marketing', 'whatsapp-button'],
    ]);
    for (const record of ledger.filter((r) => r.action === 'declined')) {
      expect(record).toMatchObject({ noticeVersion: 1, regime: 'es-lopdgdd', language: 'es' });
      expect(record.evidence).toEqual({
        messageId: tapWamid,
        inReplyTo: 'wamid.PROMPT0001',
        buttonId: 'consent:decline:1',
        userActedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      });
    }
    // Only the decision's evidence is kept: nothing of what they wrote.
    expect(JSON.stringify(ledger)).not.toContain('reservar');
    const states: { purpose: string; state: string }[] = await rig.harness.db.query(
      `SELECT "purpose", "state" FROM "consent"."purpose_state" WHERE "subject_ref" = $1 ORDER BY "purpose"`,
      [contact.contactRef],
    );
    expect(states).toEqual([
      { purpose: 'assistant', state: 'declined' },
      { purpose: 'marketing', state: 'declined' },
    ]);
  });

  it('sends nothing after the prompt, even when they write again within the interval', async () => {
    await rig.inbound(contact, { text: '¿Hola?' });
    await rig.inbound(contact, { text: '¿Hay alguien?' });
    await rig.quiet();
    expect(rig.commandsTo(contact).map((c) => c.data.purpose)).toEqual(['opt-in-prompt']);
    expect(await rig.admittedTo(contact)).toEqual([]);
  });

  it('denies the conversation and every other purpose', async () => {
    for (const purpose of ['conversation', 'agent', 'data-request', 'marketing', 'notification'] as const) {
      expect(await rig.permission(contact, purpose)).toEqual({ decision: 'deny', reason: 'no-consent' });
    }
    expect(await rig.permission(contact, 'opt-out-confirmation')).toMatchObject({ decision: 'deny' });
    expect(await rig.permission(contact, 'opt-in-confirmation')).toMatchObject({ decision: 'deny' });
  });

  it('a contact who accepts only the essential declines the optional purposes: conversation yes, offers no', async () => {
    const essential = await rig.decidedContact({ choice: 'accept' });
    await rig.quiet();
    const ledger = await rig.ledgerOf(essential);
    expect(ledger.filter((r) => r.channel === 'whatsapp-button').map((r) => [r.action, r.purpose])).toEqual([
      ['granted', 'assistant'],
      ['declined', 'marketing'],
    ]);
    expect(await rig.admittedTo(essential)).toEqual([{ held: true, text: 'Hello, I would like to book a cleaning' }]);
    expect(await rig.permission(essential, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
    expect(await rig.permission(essential, 'marketing')).toEqual({ decision: 'deny', reason: 'no-consent' });
  });
});
