import type {
  EventEnvelope,
  GatewayDeliveryUpdatedV1,
  GatewayMessageReceivedV1,
  GatewayPreferenceChangedV1,
} from '@trustline/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeChanges } from '../src/webhook/webhook-payload.rules';
import { routeWebhook } from '../src/webhook/webhook-routing.rules';
import { GatewayHarness } from './support/gateway-harness';
import { APP_A, APP_B, NUMBER_A1, TENANT_A, writeTenantsFile } from './support/tenants';
import { sleep, uniqueName, waitFor } from './support/wait';
import { metaJson, postWebhook, sign, textMessagePayload } from './support/webhook-client';

const fixturesDir = join(__dirname, '..', 'src', 'webhook', '__fixtures__');
const fixture = (name: string): string => readFileSync(join(fixturesDir, name), 'utf8').trim();

describe('WhatsApp webhook edge (real PostgreSQL and JetStream)', () => {
  let gateway: GatewayHarness;
  let received: EventEnvelope<GatewayMessageReceivedV1>[];

  beforeAll(async () => {
    gateway = await GatewayHarness.start({ env: { WHATSAPP_TENANTS_FILE: writeTenantsFile(uniqueName('webhook')) } });
    received = await gateway.observe('gateway.message.received.v1');
  });

  afterAll(async () => {
    await gateway?.destroy();
  });

  /** Nothing the gateway keeps or publishes changed. */
  async function sideEffects(): Promise<number[]> {
    return [
      await gateway.count('inbound_message'),
      await gateway.count('unrouted_webhook'),
      await gateway.count('contact'),
      received.length,
    ];
  }

  describe('verification handshake', () => {
    const verify = (query: string) => fetch(`${gateway.url}/webhooks/whatsapp?${query}`);

    it('echoes hub.challenge verbatim when the verify token matches', async () => {
      const response = await verify(
        `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${APP_B.verifyToken}`,
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('1158201444');
      const opaque = await verify(`hub.mode=subscribe&hub.challenge=abc-XYZ_09&hub.verify_token=${APP_A.verifyToken}`);
      expect(await opaque.text()).toBe('abc-XYZ_09');
    });

    it.each([
      ['a wrong token', `hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope`],
      ['another mode', `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${APP_A.verifyToken}`],
      ['no token', `hub.mode=subscribe&hub.challenge=1`],
      ['no challenge', `hub.mode=subscribe&hub.verify_token=${APP_A.verifyToken}`],
    ])('answers 403 to %s', async (_case, query) => {
      const response = await verify(query);
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain(APP_A.verifyToken);
    });
  });

  describe('signature over the raw bytes', () => {
    const vector = fixture('text.json');

    it('accepts the reference test vector exactly as signed', async () => {
      expect(Buffer.byteLength(vector)).toBe(452);
      expect(sign(vector, APP_A.secret)).toBe(
        'sha256=1936993828f1f4904e40a6db1699fa24bda16dbe0cee4435e6ab07e5123ae412',
      );
      const result = await postWebhook(gateway.url, vector, sign(vector, APP_A.secret));
      expect(result.status).toBe(200);
      await waitFor('the message event', () => received.some((e) => e.data.messageId === 'wamid.TEST0001'));
      const event = received.find((e) => e.data.messageId === 'wamid.TEST0001')!;
      expect(event.tenantId).toBe(TENANT_A);
      expect(JSON.stringify(event)).not.toMatch(/Ana|5511987654321|remarcar/);
      const content = await gateway.openTransit(
        TENANT_A,
        event.data.content,
        event.data.contactRef,
        'gateway.message.received.v1/content',
      );
      expect(content).toMatchObject({ text: 'Quero remarcar meu horário' });
    });

    it.each([
      [
        're-serialised JSON with the original signature',
        () => [JSON.stringify(JSON.parse(vector)), sign(vector, APP_A.secret)],
        403,
      ],
      ['a forged signature', () => [vector, sign(vector, 'not-the-secret')], 403],
      ['a signature by an app this gateway does not serve', () => [vector, sign(vector, 'some-other-app-secret')], 403],
      ['a malformed signature header', () => [vector, 'sha256=xyz'], 403],
      ['a SHA-1 header only', () => [vector, undefined, { 'x-hub-signature': 'sha1=abc' }], 401],
      ['no signature', () => [vector, undefined], 401],
    ] as const)('refuses %s and changes nothing', async (_case, make, status) => {
      const before = await sideEffects();
      const [body, signature, headers] = make() as [string, string | undefined, Record<string, string>?];
      const result = await postWebhook(gateway.url, body, signature, headers);
      expect(result.status).toBe(status);
      await sleep(300);
      expect(await sideEffects()).toEqual(before);
    });

    it('records, counts and acknowledges a number signed by another app, without processing it', async () => {
      const body = metaJson(textMessagePayload('wamid.WRONGAPP1', 'olá', NUMBER_A1));
      const before = received.length;
      const result = await postWebhook(gateway.url, body, sign(body, APP_B.secret));
      expect(result.status).toBe(200);
      expect(
        await gateway.count('unrouted_webhook', `"reason" = 'other-app' AND "phone_number_id" = $1`, [NUMBER_A1]),
      ).toBe(1);
      await sleep(300);
      expect(received.length).toBe(before);
      expect(await gateway.count('inbound_message', `"wamid" = 'wamid.WRONGAPP1'`)).toBe(0);
    });

    it('records, counts and acknowledges an unknown phone_number_id, without processing it', async () => {
      const body = metaJson(textMessagePayload('wamid.UNKNOWN1', 'hi', '999999999999999'));
      const result = await postWebhook(gateway.url, body, sign(body, APP_A.secret));
      expect(result.status).toBe(200);
      expect(await gateway.count('unrouted_webhook', `"reason" = 'unknown-number'`)).toBe(1);
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/trustline_gateway_webhook_unrouted_total\{[^}]*reason="unknown-number"[^}]*\} 1/);
      await sleep(300);
      expect(await gateway.count('inbound_message', `"wamid" = 'wamid.UNKNOWN1'`)).toBe(0);
    });
  });

  describe('bad bodies', () => {
    it('answers 413 to a body over 3 MB, before reading it all, and changes nothing', async () => {
      const before = await sideEffects();
      const body = Buffer.alloc(3 * 1024 * 1024 + 1, 0x20);
      const result = await postWebhook(gateway.url, body, sign(body, APP_A.secret));
      expect(result.status).toBe(413);
      expect(await sideEffects()).toEqual(before);
    });

    it('accepts a body of exactly 3 MB (whitespace-padded, correctly signed)', async () => {
      const json = metaJson(textMessagePayload('wamid.BIG1', 'big'));
      const body = json + ' '.repeat(3 * 1024 * 1024 - Buffer.byteLength(json));
      const result = await postWebhook(gateway.url, body, sign(body, APP_A.secret));
      expect(result.status).toBe(200);
      await waitFor('the padded message', () => received.some((e) => e.data.messageId === 'wamid.BIG1'));
    });

    it.each([
      ['not JSON', '{"object":"whatsapp_business_account",'],
      ['JSON of another shape', '{"object":"page","entry":[]}'],
      ['entries that are not objects', '{"object":"whatsapp_business_account","entry":[1,2]}'],
    ])('answers 400 to a signed body that is %s, naming the problem and changing nothing', async (_case, body) => {
      const before = await sideEffects();
      const result = await postWebhook(gateway.url, body, sign(body, APP_A.secret));
      expect(result.status).toBe(400);
      await sleep(200);
      expect(await sideEffects()).toEqual(before);
    });
  });

  describe('exactly-once intake', () => {
    it('turns the same payload delivered three times into one event', async () => {
      const body = metaJson(textMessagePayload('wamid.DUP0001', 'três vezes'));
      for (let i = 0; i < 3; i += 1) {
        expect((await postWebhook(gateway.url, body, sign(body, APP_A.secret))).status).toBe(200);
      }
      // Meta's retries are not always byte-identical (a batch may be re-cut): the wamid dedupe catches those too.
      const rebatched = metaJson({ ...textMessagePayload('wamid.DUP0001', 'três vezes'), extra: 1 });
      expect((await postWebhook(gateway.url, rebatched, sign(rebatched, APP_A.secret))).status).toBe(200);
      await waitFor('the event', () => received.some((e) => e.data.messageId === 'wamid.DUP0001'));
      await sleep(500);
      expect(received.filter((e) => e.data.messageId === 'wamid.DUP0001')).toHaveLength(1);
      expect(await gateway.count('inbound_message', `"wamid" = 'wamid.DUP0001'`)).toBe(1);
    });
  });

  describe('every documented payload shape', () => {
    let updates: EventEnvelope<GatewayDeliveryUpdatedV1>[] = [];
    let preferences: EventEnvelope<GatewayPreferenceChangedV1>[] = [];

    beforeAll(async () => {
      updates = await gateway.observe('gateway.delivery.updated.v1');
      preferences = await gateway.observe('gateway.preference.changed.v1');
    });

    const files = readdirSync(fixturesDir).filter((file) => file.endsWith('.json') && file !== 'text.json');

    it.each(files)('%s: every item becomes its fact, once', async (file) => {
      const body = fixture(file);
      const routed = routeWebhook(JSON.parse(body));
      const mine = routed.byNumber.flatMap((group) =>
        group.phoneNumberId.startsWith('1098765432109') ? group.changes : [],
      );
      const expected = normalizeChanges(mine);
      const wamids = expected.messages.map((m) => m.wamid);
      const statusKeys = expected.statuses.map((s) => `${s.wamid}/${s.status}`);
      const preferenceCount = preferences.length;

      const result = await postWebhook(gateway.url, body, sign(body, APP_A.secret));
      expect(result.status).toBe(200);
      await waitFor(
        `${file}: all facts`,
        () =>
          wamids.every((id) => received.some((e) => e.data.messageId === id)) &&
          statusKeys.every((key) => updates.some((e) => `${e.data.messageId}/${e.data.status}` === key)) &&
          preferences.length >= preferenceCount + expected.preferences.length,
      );
      for (const id of wamids) {
        const event = received.find((e) => e.data.messageId === id)!;
        const message = expected.messages.find((m) => m.wamid === id)!;
        expect(event.data.type).toBe(message.type);
        if (message.interaction) {
          expect(event.data.interaction).toEqual({ kind: message.interaction.kind, id: message.interaction.id });
        }
        expect(JSON.stringify(event)).not.toContain('5511987654321');
      }
      // Delivered again: nothing new.
      const counts = [received.length, updates.length, preferences.length];
      expect((await postWebhook(gateway.url, body, sign(body, APP_A.secret))).status).toBe(200);
      await sleep(300);
      expect([received.length, updates.length, preferences.length]).toEqual(counts);
    });

    it('keeps no personal data readable in JetStream or in its own tables', async () => {
      const stored = await gateway.storedMessages();
      expect(stored.length).toBeGreaterThan(50);
      const clear = /5511987654321|Ana Souza|remarcar|hor[aá]rio|BR\.1a2b3c4d5e6f7a8b9c0d/i;
      expect(stored.filter((body) => clear.test(body))).toEqual([]);
      const dump = JSON.stringify([
        await gateway.db.query(`SELECT * FROM "gateway"."contact"`),
        await gateway.db.query(`SELECT * FROM "gateway"."inbound_message"`),
        await gateway.db.query(`SELECT * FROM "gateway"."outbox_event"`),
      ]);
      expect(dump).not.toMatch(clear);
    });

    it('keys a username user (no phone number) by the business-scoped user id, and later links the number', async () => {
      expect(fixture('bsuid-only.json')).not.toContain('"wa_id"');
      const first = received.find((e) => e.data.messageId === 'wamid.TEST0021');
      expect(first).toBeDefined();
      // The same user writes again — under the BSUID the system-user-changed-user-id fixture moved them to — and this
      // time Meta includes both the number and the BSUID.
      const payload = textMessagePayload('wamid.BSUID0002', 'de novo', NUMBER_A1, '5511900001111');
      payload.entry[0].changes[0].value.contacts[0].user_id = 'BR.9f8e7d6c5b4a3f2e1d0c';
      payload.entry[0].changes[0].value.messages[0].from_user_id = 'BR.9f8e7d6c5b4a3f2e1d0c';
      const body = metaJson(payload);
      expect((await postWebhook(gateway.url, body, sign(body, APP_A.secret))).status).toBe(200);
      await waitFor('the second message', () => received.some((e) => e.data.messageId === 'wamid.BSUID0002'));
      const second = received.find((e) => e.data.messageId === 'wamid.BSUID0002')!;
      expect(second.data.contactRef).toBe(first!.data.contactRef);
      // …and a message keyed only by that number now reaches the same contact.
      const byNumber = metaJson(textMessagePayload('wamid.BSUID0003', 'pelo número', NUMBER_A1, '5511900001111'));
      expect((await postWebhook(gateway.url, byNumber, sign(byNumber, APP_A.secret))).status).toBe(200);
      await waitFor('the third message', () => received.some((e) => e.data.messageId === 'wamid.BSUID0003'));
      expect(received.find((e) => e.data.messageId === 'wamid.BSUID0003')!.data.contactRef).toBe(
        first!.data.contactRef,
      );
    });
  });
});
