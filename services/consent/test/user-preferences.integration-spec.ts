import { createEnvelope, type EventEnvelope, type GatewayPreferenceChangedV1 } from '@trustline/contracts';
import { sleep, waitFor } from '@trustline/service-kit/testing';
import { ConsentRig, NUMBER, TENANT, type ContactHandle } from './support/consent-rig';

describe('WhatsApp user_preferences: stop and resume of marketing messages', () => {
  let rig: ConsentRig;
  let contact: ContactHandle;

  /** The gateway's fact for the contact's stop or resume of a category. */
  function preference(value: 'stop' | 'resume', category = 'marketing_messages') {
    return createEnvelope<GatewayPreferenceChangedV1>({
      producer: 'gateway',
      tenantId: TENANT,
      data: {
        contactRef: contact.contactRef,
        phoneNumberId: NUMBER,
        category,
        value,
        source: 'user_preferences',
        at: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
      },
    });
  }

  async function publish(envelope: EventEnvelope<GatewayPreferenceChangedV1>): Promise<void> {
    await rig.harness.peers.publish('gateway.preference.changed.v1', envelope);
    await waitFor('the preference to be applied', () => rig.applied(envelope.id, 'consent.preferences'));
  }

  const platformRecords = async () =>
    (await rig.ledgerOf(contact)).filter((r) => r.channel === 'whatsapp-settings').map((r) => [r.action, r.purpose]);

  beforeAll(async () => {
    rig = await ConsentRig.start();
    contact = await rig.decidedContact({ prefix: '346', text: 'Hola, quiero reservar una cita' });
    expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'allow', basis: 'consent' });
  });

  afterAll(async () => {
    await rig.destroy();
  });

  it('a stop is recorded for marketing and refuses marketing messages as platform-stopped', async () => {
    const stop = preference('stop');
    await publish(stop);
    expect(await platformRecords()).toEqual([['platform-stopped', 'marketing']]);
    const record = (await rig.ledgerOf(contact)).find((r) => r.action === 'platform-stopped');
    expect(record).toMatchObject({ regime: 'es-lopdgdd', noticeVersion: 1, evidence: { userActedAt: stop.data.at } });
    expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'deny', reason: 'platform-stopped' });
  });

  it('leaves the assistant and the consent decision alone', async () => {
    expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
    const states: { purpose: string; state: string; platform_stopped: boolean }[] = await rig.harness.db.query(
      `SELECT "purpose", "state", "platform_stopped" FROM "consent"."purpose_state" WHERE "subject_ref" = $1
        ORDER BY "purpose"`,
      [contact.contactRef],
    );
    expect(states).toEqual([
      { purpose: 'assistant', state: 'granted', platform_stopped: false },
      { purpose: 'marketing', state: 'granted', platform_stopped: true },
    ]);
    expect(await rig.subjectOf(contact)).toMatchObject({ status: 'granted' });
  });

  it('the same event delivered again is recorded once', async () => {
    const stop = preference('stop');
    await publish(stop);
    // Once through the bus (JetStream drops it as a duplicate), once past the stream's dedupe (the inbox drops it).
    await rig.harness.peers.publish('gateway.preference.changed.v1', stop);
    await rig.republish('gateway.preference.changed.v1', stop);
    // A later event being applied means the repeats published before it were delivered too.
    await publish(preference('stop'));
    await sleep(200);
    expect(await platformRecords()).toEqual([
      ['platform-stopped', 'marketing'],
      ['platform-stopped', 'marketing'],
      ['platform-stopped', 'marketing'],
    ]);
  });

  it('a resume is recorded and allows marketing again', async () => {
    await publish(preference('resume'));
    expect((await platformRecords()).at(-1)).toEqual(['platform-resumed', 'marketing']);
    expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'allow', basis: 'consent' });
    expect(await rig.permission(contact, 'conversation')).toEqual({ decision: 'allow', basis: 'consent' });
  });

  it('a category consent does not know is not recorded', async () => {
    const before = (await platformRecords()).length;
    await rig.harness.peers.publish('gateway.preference.changed.v1', preference('stop', 'utility_messages'));
    await publish(preference('resume'));
    expect(await platformRecords()).toHaveLength(before + 1);
    expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'allow', basis: 'consent' });
  });

  it('a resume does not lift a withdrawal: an opted-out contact stays suppressed', async () => {
    await rig.inbound(contact, { text: 'BAJA' });
    await rig.waitForCommands(contact, 'opt-out-confirmation');
    await publish(preference('resume'));
    expect(await rig.permission(contact, 'marketing')).toEqual({ decision: 'deny', reason: 'suppressed' });
  });
});
