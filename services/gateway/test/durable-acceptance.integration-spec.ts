import type { EventEnvelope, GatewayMessageReceivedV1 } from '@trustline/contracts';
import { GatewayHarness } from './support/gateway-harness';
import { PrivateNats } from './support/private-nats';
import { APP_A, writeTenantsFile } from './support/tenants';
import { sleep, uniqueName, waitFor } from './support/wait';
import { metaJson, postWebhook, sign, textMessagePayload } from './support/webhook-client';

function textMessage(wamid: string): string {
  return metaJson(textMessagePayload(wamid));
}

// Meta retries anything not answered 200 for up to 7 days; the gateway may therefore answer 200 only for what is
// durably kept, and must say 5xx otherwise.
describe('200 only after durable acceptance', () => {
  let nats: PrivateNats;
  let gateway: GatewayHarness;
  let received: EventEnvelope<GatewayMessageReceivedV1>[];

  beforeAll(async () => {
    nats = await PrivateNats.start();
    gateway = await GatewayHarness.start({
      natsServers: nats.url,
      env: { WHATSAPP_TENANTS_FILE: writeTenantsFile(uniqueName('durable')), NATS_PUBLISH_TIMEOUT_MS: '2000' },
    });
    received = await gateway.observe('gateway.message.received.v1');
  });

  afterAll(async () => {
    await gateway?.destroy();
    await nats?.destroy();
  });

  it('answers 5xx while JetStream is down, keeps nothing, and accepts the retry once it is back', async () => {
    const first = textMessage('wamid.DURABLE1');
    expect((await postWebhook(gateway.url, first, sign(first, APP_A.secret))).status).toBe(200);
    await waitFor('the first message', () => received.some((e) => e.data.messageId === 'wamid.DURABLE1'));

    await nats.down();
    const body = textMessage('wamid.DURABLE2');
    const during = await postWebhook(gateway.url, body, sign(body, APP_A.secret));
    expect(during.status).toBeGreaterThanOrEqual(500);
    expect(await gateway.count('inbound_message', `"wamid" = 'wamid.DURABLE2'`)).toBe(0);

    await nats.up();
    // Meta's retry: the same bytes, until one is answered 200.
    let status = 0;
    await waitFor(
      'a 200 for the retry',
      async () => {
        status = (await postWebhook(gateway.url, body, sign(body, APP_A.secret))).status;
        return status === 200;
      },
      30_000,
    );
    await waitFor('the retried message', () => received.some((e) => e.data.messageId === 'wamid.DURABLE2'), 20_000);
    await sleep(500);
    expect(received.filter((e) => e.data.messageId === 'wamid.DURABLE2')).toHaveLength(1);
    expect(await gateway.count('inbound_message', `"wamid" = 'wamid.DURABLE2'`)).toBe(1);
  });
});

describe('200 only after durable acceptance, memory-only bus (standalone mode): the outbox commit', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    gateway = await GatewayHarness.start({
      bus: 'in-process',
      env: { WHATSAPP_TENANTS_FILE: writeTenantsFile(uniqueName('durable-outbox')) },
    });
  });

  afterAll(async () => {
    await gateway?.destroy();
  });

  it('commits the webhook to the outbox before answering, and answers 5xx when it cannot', async () => {
    const received = await gateway.observe('gateway.message.received.v1');
    const body = textMessage('wamid.OUTBOX1');
    expect((await postWebhook(gateway.url, body, sign(body, APP_A.secret))).status).toBe(200);
    await waitFor('the message', () => received.some((e) => e.data.messageId === 'wamid.OUTBOX1'));

    // The database refuses writes to the outbox (as when it is down or read-only): no 200.
    await gateway.db.query(`ALTER TABLE "gateway"."outbox_event" ADD CONSTRAINT "refuse_all" CHECK (false) NOT VALID`);
    const refused = textMessage('wamid.OUTBOX2');
    expect((await postWebhook(gateway.url, refused, sign(refused, APP_A.secret))).status).toBe(503);
    await gateway.db.query(`ALTER TABLE "gateway"."outbox_event" DROP CONSTRAINT "refuse_all"`);
    expect((await postWebhook(gateway.url, refused, sign(refused, APP_A.secret))).status).toBe(200);
    await waitFor('the retried message', () => received.some((e) => e.data.messageId === 'wamid.OUTBOX2'));
  });
});
