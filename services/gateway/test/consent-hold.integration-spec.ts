import { createEnvelope, type ConsentDecisionRecordedV1 } from '@trustline/contracts';
import { randomUUID } from 'node:crypto';
import { OutboundRig } from './support/outbound-rig';
import { TENANT_A } from './support/tenants';
import { waitFor } from './support/wait';

// The hold follows consent's ledger for decisions that do not come as keywords through the gateway: a withdrawal
// recorded through consent's API holds the contact at the gateway too, a later grant lifts it.
describe('the opt-out hold follows the consent ledger', () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    rig = await OutboundRig.start();
  });

  afterAll(async () => {
    await rig.stop();
  });

  function decision(contactRef: string, action: 'withdrawn' | 'granted', at: Date): ConsentDecisionRecordedV1 {
    return {
      recordId: randomUUID(),
      subjectRef: contactRef,
      purpose: 'assistant',
      action,
      noticeVersion: 1,
      noticePurposes: ['assistant'],
      lawfulBasis: 'consent',
      channel: 'api',
      regime: 'br-lgpd',
      evidence: { reference: 'ticket:42', actor: 'dsar' },
      recordedAt: at.toISOString(),
    };
  }

  async function publish(data: ConsentDecisionRecordedV1): Promise<void> {
    await rig.gateway.bus.publish(
      'consent.decision.recorded.v1',
      createEnvelope({ producer: 'consent', tenantId: TENANT_A, data }),
    );
  }

  const holdOf = async (contactRef: string) =>
    rig.gateway.count('contact', `"contact_ref" = $1 AND "suppressed_at" IS NOT NULL`, [contactRef]);

  it('an API withdrawal holds the contact; an older grant changes nothing; a newer grant lifts the hold', async () => {
    const contactRef = await rig.userWrites('5511955550001');
    rig.decisions.set(contactRef, 'allow');
    const withdrawnAt = new Date();
    await publish(decision(contactRef, 'withdrawn', withdrawnAt));
    await waitFor('the hold', async () => (await holdOf(contactRef)) === 1);
    expect(await rig.settled(await rig.requestSend(contactRef, { type: 'text', text: 'still there?' }))).toBe(
      'suppressed',
    );

    await publish(decision(contactRef, 'granted', new Date(withdrawnAt.getTime() - 60_000)));
    await publish(decision(contactRef, 'granted', new Date(withdrawnAt.getTime() + 1_000)));
    await waitFor('the hold lifted', async () => (await holdOf(contactRef)) === 0);
    expect(await rig.settled(await rig.requestSend(contactRef, { type: 'text', text: 'welcome back' }))).toBe(
      'accepted',
    );
  });

  it('records about other purposes, prompts and unknown contacts change no hold', async () => {
    const contactRef = await rig.userWrites('5511955550002');
    await publish({ ...decision(contactRef, 'withdrawn', new Date()), purpose: 'marketing' });
    await publish({ ...decision(contactRef, 'withdrawn', new Date()), action: 'prompted' });
    await publish(decision('dW5rbm93bi1jb250YWN0LXJlZg', 'withdrawn', new Date()));
    const marker = await rig.userWrites('5511955550003');
    await publish(decision(marker, 'withdrawn', new Date()));
    await waitFor('the marker hold (every earlier record applied)', async () => (await holdOf(marker)) === 1);
    expect(await holdOf(contactRef)).toBe(0);
  });
});
