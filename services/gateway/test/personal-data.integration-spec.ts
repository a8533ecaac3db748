import {
  createEnvelope,
  type DataExportResponseV1,
  type DataReceiptIssuedV1,
  type EventEnvelope,
  type GatewayMessageReceivedV1,
} from '@trustline/contracts';
import { randomUUID } from 'node:crypto';
import { GatewayHarness } from './support/gateway-harness';
import { APP_A, NUMBER_A1, TENANT_A, writeTenantsFile } from './support/tenants';
import { uniqueName, waitFor } from './support/wait';
import { metaJson, postWebhook, sign, textMessagePayload } from './support/webhook-client';

// The gateway answers the data-holder protocol on the bus, as dsar and retention will call it.
describe('gateway as a data holder, over the bus', () => {
  let gateway: GatewayHarness;
  let received: EventEnvelope<GatewayMessageReceivedV1>[];
  let receipts: EventEnvelope<DataReceiptIssuedV1>[];

  beforeAll(async () => {
    gateway = await GatewayHarness.start({ env: { WHATSAPP_TENANTS_FILE: writeTenantsFile(uniqueName('holder')) } });
    received = await gateway.observe('gateway.message.received.v1');
    receipts = await gateway.observe('gateway.receipt.issued.v1');
  });

  afterAll(async () => {
    await gateway?.destroy();
  });

  async function contactWrites(from: string, name: string): Promise<string> {
    const wamid = `wamid.${randomUUID()}`;
    const body = metaJson(textMessagePayload(wamid, 'olá', NUMBER_A1, from, name));
    expect((await postWebhook(gateway.url, body, sign(body, APP_A.secret))).status).toBe(200);
    await waitFor('the message', () => received.some((e) => e.data.messageId === wamid));
    return received.find((e) => e.data.messageId === wamid)!.data.contactRef;
  }

  async function exportOf(subjectRef: string): Promise<Record<string, unknown[]>> {
    const answer: DataExportResponseV1 = await gateway.bus.request(
      'gateway.rpc.export.v1',
      createEnvelope({ producer: 'dsar', tenantId: TENANT_A, data: { requestId: randomUUID(), subjectRef } }),
    );
    const sections: Record<string, unknown[]> = {};
    for (const section of answer.sections) {
      sections[section.category] = JSON.parse(
        await gateway.transit.openText(section.records, {
          tenantId: TENANT_A,
          subjectRef,
          field: 'gateway.rpc.export.v1/records',
          row: section.category,
        }),
      ) as unknown[];
    }
    return sections;
  }

  async function command(
    subject: 'dsar.erasure.requested.v1' | 'dsar.rectification.requested.v1',
    data: Record<string, string>,
  ): Promise<DataReceiptIssuedV1> {
    const requestId = randomUUID();
    const envelope = createEnvelope({ producer: 'dsar', tenantId: TENANT_A, data: { requestId, ...data } });
    await gateway.bus.publish(subject, envelope as never);
    await waitFor('the receipt', () => receipts.some((e) => e.data.requestId === requestId));
    return receipts.find((e) => e.data.requestId === requestId)!.data;
  }

  it('exports what it holds, sealed on the bus; rectifies the name; erases everything, keys first', async () => {
    const contactRef = await contactWrites('5511977770001', 'Maria Lima');
    const exported = await exportOf(contactRef);
    expect(exported.contacts).toEqual([
      expect.objectContaining({
        waId: '5511977770001',
        name: 'Maria Lima',
        marketingStopped: false,
        optedOutAt: null,
      }),
    ]);
    expect(exported['message-log']).toHaveLength(1);

    const fields = await gateway.transit.sealText(JSON.stringify({ name: 'Maria L.' }), {
      tenantId: TENANT_A,
      subjectRef: contactRef,
      field: 'dsar.rectification.requested.v1/fields',
    });
    expect(await command('dsar.rectification.requested.v1', { subjectRef: contactRef, fields })).toMatchObject({
      operation: 'rectify',
      affected: 1,
    });
    expect((await exportOf(contactRef)).contacts).toEqual([expect.objectContaining({ name: 'Maria L.' })]);

    const erased = await command('dsar.erasure.requested.v1', { subjectRef: contactRef });
    expect(erased).toMatchObject({ operation: 'erase', subjectRef: contactRef });
    expect(erased.affected).toBeGreaterThan(2);
    expect(await exportOf(contactRef)).toEqual({});
    expect(await gateway.count('shred_list', `"subject_ref" = $1`, [contactRef])).toBe(1);
    expect(await gateway.count('subject_key', `"subject_ref" = $1`, [contactRef])).toBe(0);
    expect(await gateway.count('inbound_message', `"contact_ref" = $1`, [contactRef])).toBe(0);
    // Erased again (a redelivered command): nothing left to do.
    expect((await command('dsar.erasure.requested.v1', { subjectRef: contactRef })).affected).toBe(0);
    // The person writes again: a new contact, unlinkable to the erased one.
    expect(await contactWrites('5511977770001', 'Maria Lima')).not.toBe(contactRef);
  });

  async function sweep(category: string): Promise<DataReceiptIssuedV1> {
    const sweepId = randomUUID();
    await gateway.bus.publish(
      'retention.sweep.requested.v1',
      createEnvelope({
        producer: 'retention',
        tenantId: TENANT_A,
        data: { sweepId, category, cutoff: new Date(Date.now() + 60_000).toISOString(), batchSize: 2 },
      }),
    );
    await waitFor('the sweep receipt', () => receipts.some((e) => e.data.requestId === sweepId));
    return receipts.find((e) => e.data.requestId === sweepId)!.data;
  }

  it('sweeps the message log older than a retention cutoff, keeping the contact', async () => {
    const contactRef = await contactWrites('5511977770002', 'João Souza');
    expect(await sweep('message-log')).toMatchObject({ operation: 'sweep', category: 'message-log' });
    const left = await exportOf(contactRef);
    expect(left['message-log']).toBeUndefined();
    expect(left.contacts).toEqual([expect.objectContaining({ name: 'João Souza' })]);
  });

  it('sweeps contacts idle since the cutoff like an erasure: keys shredded, rows gone', async () => {
    const contactRef = await contactWrites('5511977770003', 'Rita Alves');
    const receipt = await sweep('contacts');
    expect(receipt.affected).toBeGreaterThanOrEqual(1);
    expect(await exportOf(contactRef)).toEqual({});
    expect(await gateway.count('shred_list', `"subject_ref" = $1`, [contactRef])).toBe(1);
  });
});
