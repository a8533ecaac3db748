import { waitFor } from '@trustline/service-kit/testing';
import { Client } from 'pg';
import { ConsentRig, type ContactHandle } from './support/consent-rig';

describe('the consent ledger', () => {
  let rig: ConsentRig;

  beforeAll(async () => {
    rig = await ConsentRig.start();
  });

  afterAll(async () => {
    await rig.destroy();
  });

  describe('inbound messages are applied once per envelope', () => {
    it('the same envelope published twice: one prompt, one set of records', async () => {
      const contact = rig.contact('1415', 11);
      const envelope = await rig.inboundEnvelope(contact, { text: 'Hi, I would like an appointment' });
      await rig.publishInbound(envelope);
      await rig.publishInbound(envelope);
      await rig.quiet();
      expect(rig.commandsTo(contact)).toHaveLength(1);
      expect((await rig.ledgerOf(contact)).map((r) => r.action)).toEqual(['prompted', 'prompted']);
      expect(await rig.heldCount(contact)).toBe(1);
    });

    it('the same envelope delivered again past the stream’s dedupe window: still applied once', async () => {
      const contact = rig.contact('1415', 11);
      const envelope = await rig.inboundEnvelope(contact, { text: 'Hi, I would like an appointment' });
      // Published only this way first: it reaches consent (the control), then again under another stream id.
      await rig.republish('gateway.message.received.v1', envelope);
      await waitFor('the first copy to be applied', () => rig.applied(envelope.id));
      await rig.republish('gateway.message.received.v1', envelope);
      await rig.inbound(contact, { text: 'hello?' });
      await rig.quiet();
      expect(rig.commandsTo(contact)).toHaveLength(1);
      expect(await rig.ledgerOf(contact)).toHaveLength(2);
      expect(await rig.heldCount(contact)).toBe(2);
    });

    it('a repeated tap records the decision once and admits the held message once', async () => {
      const contact = rig.contact('1415', 11);
      await rig.inbound(contact, { text: 'Hi, I would like an appointment' });
      await rig.waitForCommands(contact, 'opt-in-prompt');
      const tap = await rig.inboundEnvelope(contact, {
        type: 'interactive',
        interaction: { kind: 'button_reply', id: 'consent:accept:1' },
      });
      await rig.publishInbound(tap);
      await rig.republish('gateway.message.received.v1', tap);
      await rig.inbound(contact, { text: 'thanks' });
      await rig.quiet();
      expect((await rig.ledgerOf(contact)).filter((r) => r.channel === 'whatsapp-button')).toHaveLength(2);
      expect(await rig.admittedTo(contact)).toEqual([
        { held: true, text: 'Hi, I would like an appointment' },
        { held: false, text: 'thanks' },
      ]);
    });
  });

  describe('is append-only, whoever connects', () => {
    let contact: ContactHandle;
    let plain: Client;

    beforeAll(async () => {
      contact = await rig.decidedContact();
      // A connection of its own, as an operator's psql session would be (not the service's pool).
      plain = new Client({ connectionString: rig.harness.env.DATABASE_URL });
      await plain.connect();
    });

    afterAll(async () => {
      await plain.end();
    });

    const ledgerSize = async () =>
      Number(
        (
          (await plain.query(`SELECT count(*) AS n FROM "consent"."consent_record" WHERE "subject_ref" = $1`, [
            contact.contactRef,
          ])) as { rows: { n: string }[] }
        ).rows[0].n,
      );

    it('refuses an UPDATE', async () => {
      await expect(
        plain.query(`UPDATE "consent"."consent_record" SET "action" = 'granted' WHERE "subject_ref" = $1`, [
          contact.contactRef,
        ]),
      ).rejects.toThrow('consent_record is append-only: UPDATE refused');
      expect((await rig.ledgerOf(contact)).filter((r) => r.action === 'granted')).toHaveLength(2);
    });

    it('refuses a DELETE', async () => {
      const before = await ledgerSize();
      await expect(
        plain.query(`DELETE FROM "consent"."consent_record" WHERE "subject_ref" = $1`, [contact.contactRef]),
      ).rejects.toThrow('consent_record is append-only: DELETE refused');
      expect(await ledgerSize()).toBe(before);
    });

    it('refuses a TRUNCATE', async () => {
      await expect(plain.query(`TRUNCATE "consent"."consent_record"`)).rejects.toThrow(
        'consent_record is append-only: TRUNCATE refused',
      );
      expect(await ledgerSize()).toBeGreaterThan(0);
    });

    it('the erasure door opened in a transaction closes with it', async () => {
      const before = await ledgerSize();
      await plain.query('BEGIN');
      await plain.query(`SELECT set_config('trustline.consent_ledger_purge', 'on', true)`);
      await plain.query('ROLLBACK');
      await expect(
        plain.query(`DELETE FROM "consent"."consent_record" WHERE "subject_ref" = $1`, [contact.contactRef]),
      ).rejects.toThrow('append-only');
      expect(await ledgerSize()).toBe(before);
    });
  });
});
