import { createEnvelope, type DataReceiptIssuedV1, type EventEnvelope } from '@trustline/contracts';
import { waitFor } from '@trustline/service-kit/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { consentButtonId } from '../src/notices/notice-text.rules';
import { ConsentRig, NUMBER, TENANT, type ContactHandle } from './support/consent-rig';

describe('consent as a data holder', () => {
  let rig: ConsentRig;
  let receipts: EventEnvelope<DataReceiptIssuedV1>[];

  beforeAll(async () => {
    rig = await ConsentRig.start();
    receipts = await rig.harness.observe('consent.receipt.issued.v1', 'dsar');
  });

  afterAll(async () => {
    await rig.destroy();
  });

  /** dsar's erasure command for the contact; resolves to consent's receipt. */
  async function erase(contact: ContactHandle): Promise<DataReceiptIssuedV1> {
    const requestId = randomUUID();
    await rig.harness.peers.publish(
      'dsar.erasure.requested.v1',
      createEnvelope({ producer: 'dsar', tenantId: TENANT, data: { requestId, subjectRef: contact.contactRef } }),
    );
    await waitFor('the erasure receipt', () => receipts.some((r) => r.data.requestId === requestId));
    return receipts.find((r) => r.data.requestId === requestId)!.data;
  }

  /** Every user table of the service's database, schema-qualified. */
  async function tables(): Promise<{ schema: string; table: string; subjectRef: boolean }[]> {
    const rows: { schema: string; table: string; subject_ref: boolean }[] = await rig.harness.db.query(
      `SELECT t.table_schema AS "schema", t.table_name AS "table",
              EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema
                        AND c.table_name = t.table_name AND c.column_name = 'subject_ref') AS "subject_ref"
         FROM information_schema.tables t
        WHERE t.table_type = 'BASE TABLE' AND t.table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    return rows.map((r) => ({ schema: r.schema, table: r.table, subjectRef: r.subject_ref }));
  }

  /** Tables holding `value` anywhere in a row's text. */
  async function tablesHolding(value: string): Promise<string[]> {
    const found: string[] = [];
    for (const { schema, table } of await tables()) {
      const rows: { n: string }[] = await rig.harness.db.query(
        `SELECT count(*) AS n FROM "${schema}"."${table}" t WHERE strpos(t::text, $1) > 0`,
        [value],
      );
      if (Number(rows[0].n) > 0) {
        found.push(`${schema}.${table}`);
      }
    }
    return found;
  }

  const tombstones = () => rig.harness.count('suppression_tombstone');

  describe('erasure of a contact who had opted out', () => {
    let contact: ContactHandle;
    let waIdIndex: string;
    let tombstonesBefore: number;
    let receipt: DataReceiptIssuedV1;

    beforeAll(async () => {
      contact = await rig.decidedContact({ prefix: '1415' });
      await rig.inbound(contact, { text: 'STOP' });
      await rig.waitForCommands(contact, 'opt-out-confirmation');
      await rig.quiet();
      waIdIndex = (await rig.subjectOf(contact))!.wa_id_index as string;
      // The control for the scans below: before erasure the reference is where consent keeps it.
      expect(await tablesHolding(contact.contactRef)).toEqual(
        expect.arrayContaining(['consent.consent_subject', 'consent.consent_record', 'consent.subject_key']),
      );
      tombstonesBefore = await tombstones();
      receipt = await erase(contact);
    });

    it('answers with a receipt of what it erased', () => {
      expect(receipt).toMatchObject({ operation: 'erase', subjectRef: contact.contactRef });
      expect(receipt.affected).toBeGreaterThan(0);
    });

    // The one exception is by design of the crypto library: its shred list keeps (tenant, reference, key id) so that a
    // restored backup's keys are destroyed again. It holds no personal data and no key.
    it('leaves no row under the subject reference but the shred list’s record of the destroyed key', async () => {
      const withSubjectRef = (await tables()).filter((t) => t.subjectRef);
      expect(withSubjectRef.map((t) => t.table).sort()).toEqual([
        'consent_record',
        'consent_subject',
        'held_message',
        'purpose_state',
        'shred_list',
        'subject_key',
      ]);
      for (const { schema, table } of withSubjectRef) {
        const rows: { n: string }[] = await rig.harness.db.query(
          `SELECT count(*) AS n FROM "${schema}"."${table}" WHERE "subject_ref" = $1`,
          [contact.contactRef],
        );
        expect([table, Number(rows[0].n)]).toEqual([table, table === 'shred_list' ? 1 : 0]);
      }
      expect(await tablesHolding(contact.contactRef)).toEqual(['consent.shred_list']);
    });

    it('keeps one suppression tombstone made of blind indexes only', async () => {
      expect(await tombstones()).toBe(tombstonesBefore + 1);
      const rows: Record<string, unknown>[] = await rig.harness.db.query(
        `SELECT * FROM "consent"."suppression_tombstone" WHERE "wa_id_index" = $1`,
        [waIdIndex],
      );
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]).sort()).toEqual([
        'created_at',
        'tenant_id',
        'tombstone_id',
        'user_id_index',
        'wa_id_index',
      ]);
      expect(rows[0]).toMatchObject({ tenant_id: TENANT, user_id_index: null });
      expect(waIdIndex).not.toContain(contact.waId);
    });

    it('holds the phone number nowhere in clear', async () => {
      expect(await tablesHolding(contact.waId)).toEqual([]);
    });

    describe('the same number writing again under a new reference (the gateway erased its own data too)', () => {
      let again: ContactHandle;

      beforeAll(async () => {
        again = { waId: contact.waId, contactRef: randomBytes(16).toString('base64url') };
        await rig.inbound(again, { text: 'Hi, is this still the dental clinic?' });
        await rig.quiet();
      });

      it('is not prompted, and nothing they write is admitted or kept', async () => {
        expect(rig.commandsTo(again)).toEqual([]);
        expect(await rig.admittedTo(again)).toEqual([]);
        expect(await rig.heldCount(again)).toBe(0);
        expect(await rig.permission(again, 'conversation')).toEqual({ decision: 'deny', reason: 'suppressed' });
        expect(await rig.permission(again, 'opt-in-prompt')).toEqual({ decision: 'deny', reason: 'suppressed' });
      });

      it('has the carried-over withdrawal recorded, saying why', async () => {
        const ledger = await rig.ledgerOf(again);
        expect(ledger.map((r) => [r.action, r.purpose, r.channel])).toEqual([
          ['withdrawn', 'assistant', 'erasure-tombstone'],
          ['withdrawn', 'marketing', 'erasure-tombstone'],
        ]);
        expect(await rig.subjectOf(again)).toMatchObject({ status: 'opted-out', wa_id_index: waIdIndex });
      });

      it('can come back with START: shown the notice, and allowed once they accept', async () => {
        await rig.inbound(again, { text: 'START' });
        await rig.waitForCommands(again, 'opt-in-prompt');
        await rig.tap(again, consentButtonId('accept', 1));
        await rig.settle();
        expect(await rig.permission(again, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
        await rig.inbound(again, { text: 'Great, thanks' });
        await rig.settle();
        await rig.waitForAdmitted(again, 1);
        expect(await rig.admittedTo(again)).toEqual([{ held: false, text: 'Great, thanks' }]);
      });
    });
  });

  // consent learns a contact's blind index from their first WhatsApp message; a contact it first heard of through
  // the record API (a web form) or a WhatsApp settings change must get it then too, or their erasure leaves no
  // tombstone.
  describe('erasure of an opted-out contact consent first heard of through the record API', () => {
    let contact: ContactHandle;
    let before: number;

    beforeAll(async () => {
      contact = rig.contact('1415', 11);
      await rig.harness.peers.request(
        'consent.rpc.record.v1',
        createEnvelope({
          producer: 'dsar',
          tenantId: TENANT,
          data: {
            requestId: randomUUID(),
            subjectRef: contact.contactRef,
            purposes: ['assistant'],
            action: 'granted',
            evidence: { reference: 'web-form:77' },
          },
        }),
      );
      await rig.inbound(contact, { text: 'Hi, I signed up on your website' });
      await rig.inbound(contact, { text: 'STOP' });
      await rig.waitForCommands(contact, 'opt-out-confirmation');
      await rig.quiet();
      before = await tombstones();
      await erase(contact);
    });

    it('leaves a tombstone', async () => {
      expect(await tombstones()).toBe(before + 1);
    });

    it('keeps the same number suppressed under a new reference', async () => {
      const again = { waId: contact.waId, contactRef: randomBytes(16).toString('base64url') };
      await rig.inbound(again, { text: 'Hello again' });
      await rig.quiet();
      expect(rig.commandsTo(again)).toEqual([]);
      expect(await rig.permission(again, 'conversation')).toEqual({ decision: 'deny', reason: 'suppressed' });
    });

    it('keeps it suppressed when consent first hears of the new reference through a WhatsApp setting', async () => {
      const again = { waId: contact.waId, contactRef: randomBytes(16).toString('base64url') };
      const preference = createEnvelope({
        producer: 'gateway',
        tenantId: TENANT,
        data: {
          contactRef: again.contactRef,
          phoneNumberId: NUMBER,
          category: 'marketing_messages',
          value: 'stop' as const,
          source: 'user_preferences' as const,
          at: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
        },
      });
      await rig.harness.peers.publish('gateway.preference.changed.v1', preference);
      await waitFor('the preference to be applied', () => rig.applied(preference.id, 'consent.preferences'));
      await rig.inbound(again, { text: 'Hello again' });
      await rig.quiet();
      expect(rig.commandsTo(again)).toEqual([]);
      expect(await rig.permission(again, 'conversation')).toEqual({ decision: 'deny', reason: 'suppressed' });
      expect((await rig.ledgerOf(again)).filter((r) => r.channel === 'erasure-tombstone')).toHaveLength(2);
    });
  });

  describe('erasure of a contact who had merely granted', () => {
    let contact: ContactHandle;
    let before: number;

    beforeAll(async () => {
      contact = await rig.decidedContact({ prefix: '346', text: 'Hola, quiero una cita' });
      await rig.quiet();
      before = await tombstones();
      await erase(contact);
    });

    it('leaves no tombstone, and nothing under the reference but the shred list', async () => {
      expect(await tombstones()).toBe(before);
      expect(await tablesHolding(contact.contactRef)).toEqual(['consent.shred_list']);
      expect(await tablesHolding(contact.waId)).toEqual([]);
    });

    it('the same number writing again is a newcomer: prompted, message held', async () => {
      const again = { waId: contact.waId, contactRef: randomBytes(16).toString('base64url') };
      await rig.inbound(again, { text: 'Hola de nuevo' });
      await rig.waitForCommands(again, 'opt-in-prompt');
      await rig.settle();
      expect(await rig.heldCount(again)).toBe(1);
      expect((await rig.ledgerOf(again)).map((r) => r.action)).toEqual(['prompted', 'prompted']);
    });
  });

  describe('export', () => {
    /** dsar's export request, each section opened as dsar opens it. */
    async function exportOf(contact: ContactHandle): Promise<Record<string, unknown[]>> {
      const response = await rig.harness.peers.request(
        'consent.rpc.export.v1',
        createEnvelope({
          producer: 'dsar',
          tenantId: TENANT,
          data: { requestId: randomUUID(), subjectRef: contact.contactRef },
        }),
      );
      const sections: Record<string, unknown[]> = {};
      for (const section of response.sections) {
        sections[section.category] = JSON.parse(
          await rig.harness.transit.openText(section.records, {
            tenantId: TENANT,
            subjectRef: contact.contactRef,
            field: 'consent.rpc.export.v1/records',
            row: section.category,
          }),
        ) as unknown[];
      }
      return sections;
    }

    it('answers profile, ledger and held messages, each sealed for its section', async () => {
      const contact = rig.contact('1415', 11);
      const sentAt = new Date(Date.now() - 5_000);
      const wamid = await rig.inbound(contact, { text: 'Hi, can I book a cleaning?', sentAt });
      await rig.waitForCommands(contact, 'opt-in-prompt');
      await rig.settle();

      const sections = await exportOf(contact);
      expect(Object.keys(sections)).toEqual(['consent-profile', 'consent-ledger', 'held-messages']);
      expect(sections['consent-profile']).toEqual([
        {
          status: 'prompted',
          language: 'en',
          region: 'US-CA',
          regime: 'us-ca-ccpa',
          purposes: [
            { purpose: 'assistant', state: 'undecided', noticeVersion: null, stoppedInWhatsApp: false },
            { purpose: 'marketing', state: 'undecided', noticeVersion: null, stoppedInWhatsApp: false },
          ],
          firstSeenAt: expect.any(String) as unknown,
        },
      ]);
      expect(sections['consent-ledger']).toMatchObject([
        { action: 'prompted', purpose: 'assistant', channel: 'whatsapp-prompt', subjectRef: contact.contactRef },
        { action: 'prompted', purpose: 'marketing', channel: 'whatsapp-prompt', subjectRef: contact.contactRef },
      ]);
      expect(sections['held-messages']).toEqual([
        {
          messageId: wamid,
          type: 'text',
          sentAt: new Date(Math.floor(sentAt.getTime() / 1000) * 1000).toISOString(),
          content: { text: 'Hi, can I book a cleaning?' },
        },
      ]);
    });

    it('a section sealed for one category does not open as another', async () => {
      const contact = await rig.decidedContact({ prefix: '1415' });
      const response = await rig.harness.peers.request(
        'consent.rpc.export.v1',
        createEnvelope({
          producer: 'dsar',
          tenantId: TENANT,
          data: { requestId: randomUUID(), subjectRef: contact.contactRef },
        }),
      );
      expect(response.sections.map((s) => s.category)).toEqual(['consent-profile', 'consent-ledger']);
      const profile = response.sections[0];
      await expect(
        rig.harness.transit.openText(profile.records, {
          tenantId: TENANT,
          subjectRef: contact.contactRef,
          field: 'consent.rpc.export.v1/records',
          row: 'consent-ledger',
        }),
      ).rejects.toThrow();
    });

    it('has nothing for a subject it does not know', async () => {
      expect(await exportOf(rig.contact())).toEqual({});
    });
  });
});
