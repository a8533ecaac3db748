import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deriveBsuid, signWebhookBody, startCloudApiSimulator, type RunningSimulator } from './index';

// The simulator over real HTTP, against a tiny webhook receiver standing in for the platform's gateway.

interface Status {
  id: string;
  status: string;
  pricing?: unknown;
  [field: string]: unknown;
}

interface InboundMessage {
  id: string;
  context?: { from: string; id: string };
  [field: string]: unknown;
}

/** The parts of a Meta webhook the tests read. */
interface Webhook {
  entry: {
    id: string;
    changes: {
      field: string;
      value: { statuses?: Status[]; messages?: InboundMessage[]; user_preferences?: { timestamp: unknown }[] };
    }[];
  }[];
}

interface GraphError {
  message: string;
  code: number;
  error_data: { messaging_product: string; details: string };
}

/** Every field a test reads from the simulator's JSON answers (each answer has some of them). */
interface Answer {
  error: GraphError;
  messages: { id: string; message_status?: string }[];
  contacts: Record<string, string>[];
  wamid: string;
  status: number;
  sends: number;
  url: string;
}

/** A message as /_sim/messages lists it. */
interface Listed {
  id: string;
  type?: string;
  text?: { body: string };
  document?: unknown;
}

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: Webhook;
}

class WebhookReceiver {
  readonly received: Received[] = [];
  /** Status to answer each POST with (default 200). */
  respond: (received: Received) => number = () => 200;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const received = { headers: request.headers, raw, body: JSON.parse(raw) as Webhook };
        this.received.push(received);
        const status = this.respond(received);
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'EVENT_RECEIVED' : 'nope');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/whatsapp`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  clear(): void {
    this.received.length = 0;
    this.respond = () => 200;
  }

  /** Status webhooks about one message, in arrival order. */
  statusesOf(wamid: string): Status[] {
    return this.received
      .map((received) => received.body.entry[0]?.changes[0]?.value.statuses?.[0])
      .filter((status): status is Status => status?.id === wamid);
  }

  async waitFor<T>(probe: () => T | undefined, timeoutMs = 2000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error('timed out waiting for webhooks');
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

const TOKEN = 'test-token';
const SECRET = 'test-secret';
const SECRET_B = 'other-secret';
const NUMBER = { phoneNumberId: '100000000000001', displayPhoneNumber: '15550000001', wabaId: '200000000000001' };
const NUMBER_B = { phoneNumberId: '100000000000002', displayPhoneNumber: '15550000002', wabaId: '200000000000002' };
const ANA = '5511987654321';
const BOB = '5511900000000';

const receiver = new WebhookReceiver();
let simulator: RunningSimulator;
let deadUrl: string;
let receiverUrl: string;

async function freePortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/webhooks/whatsapp`;
}

async function call<T = Answer>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text === '' ? undefined : JSON.parse(text)) as T };
}

function send(body: unknown, options: { token?: string | null; phoneNumberId?: string } = {}) {
  const token = options.token === undefined ? TOKEN : options.token;
  return call(
    'POST',
    `/v25.0/${options.phoneNumberId ?? NUMBER.phoneNumberId}/messages`,
    body,
    token === null ? {} : { authorization: `Bearer ${token}` },
  );
}

function textTo(to: string, text = 'Oi Ana!', extra: Record<string, unknown> = {}) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'text',
    text: { body: text },
    ...extra,
  };
}

function templateTo(to: string, name = 'appointment_reminder') {
  return {
    messaging_product: 'whatsapp',
    to,
    type: 'template',
    template: {
      name,
      language: { code: 'pt_BR' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
    },
  };
}

function buttonsTo(to: string) {
  return {
    messaging_product: 'whatsapp',
    to,
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: 'Confirma amanhã às 9h?' },
      footer: { text: 'Clínica Exemplo' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'confirm', title: 'Confirmar' } },
          { type: 'reply', reply: { id: 'human', title: 'Falar com atendente' } },
        ],
      },
    },
  };
}

/** The user writes first, so the 24-hour window is open. */
async function openWindow(from: string): Promise<void> {
  const { json } = await call('POST', '/_sim/inbound', { from, text: 'Oi' });
  expect(json.status).toBe(200);
}

function expectSigned(received: Received, secret = SECRET): void {
  expect(received.headers['x-hub-signature-256']).toBe(signWebhookBody(received.raw, secret));
  expect(received.headers['content-type']).toBe('application/json');
}

beforeAll(async () => {
  receiverUrl = await receiver.start();
  deadUrl = await freePortUrl();
  simulator = await startCloudApiSimulator({
    port: 0,
    accessToken: TOKEN,
    statusDelayMs: 5,
    webhookRetryDelaysMs: [20, 20, 20, 20],
    apps: [
      { appSecret: SECRET, webhookUrl: receiverUrl, phoneNumbers: [NUMBER] },
      { appSecret: SECRET_B, webhookUrl: deadUrl, phoneNumbers: [NUMBER_B] },
    ],
  });
});

afterAll(async () => {
  await simulator.stop();
  await receiver.stop();
});

beforeEach(async () => {
  await call('POST', '/_sim/reset');
  receiver.clear();
});

describe('Graph authentication and routing', () => {
  it.each([
    ['no token', null],
    ['a wrong token', 'wrong'],
  ])('answers 401 code 190 to a send with %s', async (_, token) => {
    const { status, json } = await send(textTo(ANA), { token });
    expect(status).toBe(401);
    expect(json).toEqual({
      error: {
        message: expect.stringMatching(/^\(#190\) /),
        type: 'OAuthException',
        code: 190,
        fbtrace_id: expect.any(String),
      },
    });
  });

  it('checks the token on media too', async () => {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'application/pdf');
    form.set('file', new Blob(['%PDF-1.4']), 'a.pdf');
    const upload = await fetch(`${simulator.url}/v25.0/${NUMBER.phoneNumberId}/media`, { method: 'POST', body: form });
    expect(upload.status).toBe(401);
    expect(((await upload.json()) as Answer).error.code).toBe(190);
    expect((await call('GET', '/v25.0/123')).status).toBe(401);
  });

  it('answers 400 code 100 for an unknown phone number ID and for a body that is not JSON', async () => {
    const unknown = await send(textTo(ANA), { phoneNumberId: '999' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe(100);
    const notJson = await send('{"messaging_product":');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatchObject({ code: 100, type: 'OAuthException' });
    expect(notJson.json.error.error_data).toEqual({ messaging_product: 'whatsapp', details: expect.any(String) });
  });

  it('accepts any vN.N version and answers mark-as-read without recording a message', async () => {
    const read = await call(
      'POST',
      `/v19.0/${NUMBER.phoneNumberId}/messages`,
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN', typing_indicator: { type: 'text' } },
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(read).toEqual({ status: 200, json: { success: true } });
    expect((await call('GET', '/_sim/messages')).json).toEqual([]);
    expect((await call('GET', '/_sim/stats')).json.sends).toBe(0);
  });

  it('answers health and unknown paths', async () => {
    expect(await call('GET', '/_sim/health')).toEqual({ status: 200, json: { ok: true } });
    expect((await call('GET', '/_sim/nothing')).status).toBe(404);
    expect((await call('GET', '/elsewhere')).status).toBe(404);
    expect((await send(textTo(ANA), { phoneNumberId: `${NUMBER.phoneNumberId}/other` })).json.error.code).toBe(100);
  });
});

describe('sending a message', () => {
  it('answers the success shape, then posts signed sent → delivered → read, one per POST, with the callback data', async () => {
    await openWindow(ANA);
    receiver.clear();
    const { status, json } = await send(
      textTo('+55 11 98765-4321', 'Olá, Ana', { biz_opaque_callback_data: 'turn-42' }),
    );
    expect(status).toBe(200);
    expect(json).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+55 11 98765-4321', wa_id: ANA }],
      messages: [{ id: expect.stringMatching(/^wamid\.[\w-]+$/) }],
    });
    const wamid: string = json.messages[0].id;

    const statuses = await receiver.waitFor(() => {
      const found = receiver.statusesOf(wamid);
      return found.length === 3 ? found : undefined;
    });
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    for (const status of statuses) {
      expect(status).toMatchObject({
        id: wamid,
        recipient_id: ANA,
        recipient_user_id: deriveBsuid(ANA),
        biz_opaque_callback_data: 'turn-42',
        timestamp: expect.stringMatching(/^\d{10}$/),
      });
    }
    expect(statuses[1].pricing).toEqual({
      billable: false,
      pricing_model: 'PMP',
      type: 'free_customer_service',
      category: 'service',
    });
    expect(statuses[0].pricing).toBeUndefined();
    for (const received of receiver.received) {
      expectSigned(received);
      expect(received.body.entry).toHaveLength(1);
      expect(received.body).toMatchObject({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: NUMBER.wabaId,
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: NUMBER.displayPhoneNumber, phone_number_id: NUMBER.phoneNumberId },
                },
              },
            ],
          },
        ],
      });
      expect(received.body.entry[0].changes[0].value.statuses).toHaveLength(1);
    }
  });

  it('sends to a BSUID recipient and answers with user_id', async () => {
    await openWindow(ANA);
    const bsuid = deriveBsuid(ANA);
    const { to: _, ...rest } = textTo(ANA);
    const { status, json } = await send({ ...rest, recipient: bsuid });
    expect(status).toBe(200);
    expect(json.contacts).toEqual([{ input: bsuid, user_id: bsuid }]);
    // The simulator knows this user's number from the inbound message.
    const [sent] = await receiver.waitFor(() => {
      const found = receiver.statusesOf(json.messages[0].id);
      return found.length > 0 ? found : undefined;
    });
    expect(sent).toMatchObject({ recipient_id: ANA, recipient_user_id: bsuid });
  });

  it('retries a status webhook the platform did not take, keeping the order', async () => {
    await openWindow(ANA);
    receiver.clear();
    let failures = 2;
    receiver.respond = (received) => {
      const status = received.body.entry[0].changes[0].value.statuses?.[0]?.status;
      if (status === 'sent' && failures > 0) {
        failures -= 1;
        return 500;
      }
      return 200;
    };
    const { json } = await send(textTo(ANA));
    const statuses = await receiver.waitFor(() => {
      const found = receiver.statusesOf(json.messages[0].id);
      return found.length === 5 ? found : undefined;
    });
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'sent', 'sent', 'delivered', 'read']);
    // A retry is the same POST: same bytes, same signature.
    expect(receiver.received[0].raw).toBe(receiver.received[2].raw);
    const stats = (await call('GET', '/_sim/stats')).json;
    // The user's first message, then sent (third try), delivered and read.
    expect(stats).toMatchObject({ webhooksPosted: 4, webhookFailures: 2 });
  });

  it('only posts the configured statuses', async () => {
    const quiet = await startCloudApiSimulator({
      port: 0,
      statusDelayMs: 1,
      autoStatuses: ['delivered'],
      apps: [{ appSecret: SECRET, webhookUrl: receiverUrl, phoneNumbers: [NUMBER] }],
    });
    try {
      const { json } = await fetch(`${quiet.url}/v25.0/${NUMBER.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer dev-access-token', 'content-type': 'application/json' },
        body: JSON.stringify(templateTo(ANA)),
      }).then(async (response) => ({ json: (await response.json()) as Answer }));
      const statuses = await receiver.waitFor(() => {
        const found = receiver.statusesOf(json.messages[0].id);
        return found.length === 1 ? found : undefined;
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(receiver.statusesOf(json.messages[0].id).map((s) => s.status)).toEqual(['delivered']);
      expect(statuses[0].pricing).toEqual({
        billable: false,
        pricing_model: 'PMP',
        type: 'regular',
        category: 'utility',
      });
    } finally {
      await quiet.stop();
    }
  });
});

describe('validation over HTTP', () => {
  const x = (n: number) => 'x'.repeat(n);
  const button = (title: string, id = 'b') => ({ type: 'reply', reply: { id, title } });
  const interactive = (patch: Record<string, unknown>) => {
    const body = buttonsTo(ANA);
    return { ...body, interactive: { ...body.interactive, ...patch } };
  };

  it.each([
    ['text.body over 4096', textTo(ANA, x(4097)), 131009, 'text.body'],
    ['text.body empty', textTo(ANA, ''), 131009, 'text.body'],
    ['missing text', { messaging_product: 'whatsapp', to: ANA, type: 'text' }, 131008, 'text'],
    ['missing to', { messaging_product: 'whatsapp', type: 'text', text: { body: 'hi' } }, 131008, 'to'],
    ['to and recipient', { ...textTo(ANA), recipient: 'BR.1' }, 131009, 'recipient'],
    ['bad phone number', textTo('12345'), 131009, 'to'],
    ['messaging_product missing', { to: ANA, type: 'text', text: { body: 'hi' } }, 100, 'messaging_product'],
    ['unknown type', { ...textTo(ANA), type: 'sticker' }, 100, 'type'],
    ['group recipient_type', { ...textTo(ANA), recipient_type: 'group' }, 131009, 'recipient_type'],
    ['callback data over 512', textTo(ANA, 'hi', { biz_opaque_callback_data: x(513) }), 131009, 'biz_opaque'],
    [
      '4 buttons',
      interactive({ action: { buttons: ['A', 'B', 'C', 'D'].map((t) => button(t, t)) } }),
      131009,
      'buttons',
    ],
    ['0 buttons', interactive({ action: { buttons: [] } }), 131009, 'buttons'],
    ['button title over 20', interactive({ action: { buttons: [button(x(21))] } }), 131009, 'title'],
    ['button id over 256', interactive({ action: { buttons: [button('A', x(257))] } }), 131009, 'reply.id'],
    ['duplicate titles', interactive({ action: { buttons: [button('A', '1'), button('A', '2')] } }), 131009, 'unique'],
    ['body over 1024', interactive({ body: { text: x(1025) } }), 131009, 'interactive.body.text'],
    ['footer over 60', interactive({ footer: { text: x(61) } }), 131009, 'interactive.footer.text'],
    ['template without name', { ...templateTo(ANA), template: { language: { code: 'pt_BR' } } }, 131008, 'name'],
    ['template without language code', { ...templateTo(ANA), template: { name: 'a', language: {} } }, 131008, 'code'],
    [
      'document with ftp link',
      { messaging_product: 'whatsapp', to: ANA, type: 'document', document: { link: 'ftp://files.test/a.pdf' } },
      131009,
      'document.link',
    ],
    [
      'document with unknown media id',
      { messaging_product: 'whatsapp', to: ANA, type: 'document', document: { id: '1999' } },
      131009,
      'document.id',
    ],
    [
      'image caption over 1024',
      {
        messaging_product: 'whatsapp',
        to: ANA,
        type: 'image',
        image: { link: 'https://x.test/a.png', caption: x(1025) },
      },
      131009,
      'image.caption',
    ],
  ])('rejects %s', async (_, body, code, field) => {
    const { status, json } = await send(body);
    expect(status).toBe(400);
    expect(json.error).toEqual({
      message: expect.stringMatching(new RegExp(`^\\(#${code}\\) `)),
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: expect.stringContaining(field) },
      fbtrace_id: expect.any(String),
    });
    expect(json.error.error_data.details).not.toContain('xxxxxxxxxx');
  });

  it('accepts every limit at its boundary', async () => {
    await openWindow(ANA);
    const bodies = [
      textTo(ANA, x(4096), { biz_opaque_callback_data: x(512) }),
      interactive({
        body: { text: x(1024) },
        footer: { text: x(60) },
        action: { buttons: [button(x(20), x(256)), button('B', '2'), button('C', '3')] },
      }),
    ];
    for (const body of bodies) {
      expect((await send(body)).status).toBe(200);
    }
    const stats = (await call('GET', '/_sim/stats')).json;
    expect(stats).toMatchObject({ sends: 2, accepted: 2, rejected: 0 });
  });
});

describe('the 24-hour window', () => {
  it('accepts a session message to a user who never wrote, then posts a 131047 failure and does not list it', async () => {
    const { status, json } = await send(textTo(ANA, 'hi', { biz_opaque_callback_data: 'cb' }));
    expect(status).toBe(200);
    const wamid = json.messages[0].id;
    const [failed] = await receiver.waitFor(() => {
      const found = receiver.statusesOf(wamid);
      return found.length > 0 ? found : undefined;
    });
    expect(failed).toEqual({
      id: wamid,
      status: 'failed',
      timestamp: expect.any(String),
      recipient_id: ANA,
      recipient_user_id: deriveBsuid(ANA),
      biz_opaque_callback_data: 'cb',
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          error_data: { details: expect.stringContaining('24 hours') },
          href: expect.stringContaining('error-codes'),
        },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(receiver.statusesOf(wamid)).toHaveLength(1);
    expect((await call('GET', `/_sim/messages?to=${ANA}`)).json).toEqual([]);
  });

  it('lets a template through outside the window, billed as regular', async () => {
    const { json } = await send(templateTo(ANA, 'summer_promo'));
    expect(json.messages).toEqual([{ id: expect.any(String), message_status: 'accepted' }]);
    const statuses = await receiver.waitFor(() => {
      const found = receiver.statusesOf(json.messages[0].id);
      return found.length === 3 ? found : undefined;
    });
    expect(statuses[1].pricing).toMatchObject({ type: 'regular', category: 'marketing' });
    expect((await call('GET', `/_sim/messages?to=${ANA}`)).json).toHaveLength(1);
  });

  it('opens the window from a posted payload with a recent message, not from one older than 24 hours', async () => {
    const inboundPayload = (from: string, timestamp: number) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: NUMBER.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: NUMBER.displayPhoneNumber, phone_number_id: NUMBER.phoneNumberId },
                contacts: [{ profile: { name: 'X' }, wa_id: from }],
                messages: [{ from, id: 'wamid.T', timestamp: String(timestamp), type: 'text', text: { body: 'x' } }],
              },
            },
          ],
        },
      ],
    });
    const now = Math.floor(Date.now() / 1000);
    await call('POST', '/_sim/webhook', { payload: inboundPayload(ANA, now - 60) });
    await call('POST', '/_sim/webhook', { payload: inboundPayload(BOB, now - 25 * 3600) });
    await send(textTo(ANA));
    await send(textTo(BOB));
    expect((await call('GET', `/_sim/messages?to=${ANA}`)).json).toHaveLength(1);
    expect((await call('GET', `/_sim/messages?to=${BOB}`)).json).toEqual([]);
  });
});

describe('rate limits', () => {
  it('answers 429 code 130429 past throughputMps sends in a second on a number, each number on its own', async () => {
    // A small budget keeps the second-long window deterministic on a loaded machine (the default, 80, is unit-tested).
    const tight = await startCloudApiSimulator({
      port: 0,
      throughputMps: 3,
      statusDelayMs: 1,
      apps: [{ appSecret: SECRET, webhookUrl: receiverUrl, phoneNumbers: [NUMBER, NUMBER_B] }],
    });
    const sendVia = async (phoneNumberId: string, to: string) => {
      const response = await fetch(`${tight.url}/v25.0/${phoneNumberId}/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer dev-access-token', 'content-type': 'application/json' },
        body: JSON.stringify(templateTo(to)),
      });
      return { status: response.status, json: (await response.json()) as Answer };
    };
    try {
      const results = await Promise.all(
        ['5511900000001', '5511900000002', '5511900000003'].map((to) => sendVia(NUMBER.phoneNumberId, to)),
      );
      expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
      const over = await sendVia(NUMBER.phoneNumberId, ANA);
      expect(over.status).toBe(429);
      expect(over.json.error).toMatchObject({
        code: 130429,
        message: '(#130429) Rate limit hit',
        error_data: { details: 'Cloud API message throughput has been reached.' },
      });
      expect((await sendVia(NUMBER_B.phoneNumberId, ANA)).status).toBe(200);
    } finally {
      await tight.stop();
    }
  });

  it('answers 400 code 131056 past 45 sends to one user in 6 s, other users unaffected', async () => {
    const results = await Promise.all(Array.from({ length: 45 }, () => send(templateTo(ANA))));
    expect(results.every((result) => result.status === 200)).toBe(true);
    const over = await send(templateTo(`+${ANA}`));
    expect(over.status).toBe(400);
    expect(over.json.error.code).toBe(131056);
    expect((await send(templateTo(BOB))).status).toBe(200);
  });
});

describe('faults', () => {
  it('answers a queued error code for the next matching sends, then sends normally', async () => {
    await openWindow(ANA);
    expect((await call('POST', '/_sim/faults', { code: 131026, count: 2 })).status).toBe(200);
    expect((await call('GET', '/_sim/faults')).json).toEqual([{ code: 131026, count: 2 }]);
    const first = await send(textTo(ANA));
    const second = await send(textTo(ANA));
    expect([first.status, second.status]).toEqual([400, 400]);
    expect(first.json.error).toMatchObject({ code: 131026, message: '(#131026) Message undeliverable' });
    expect((await send(textTo(ANA))).status).toBe(200);
    expect((await call('GET', `/_sim/messages?to=${ANA}`)).json).toHaveLength(1);
  });

  it('gives throttling codes 429 and server errors 500 unless told otherwise', async () => {
    await call('POST', '/_sim/faults', { code: 80007 });
    await call('POST', '/_sim/faults', { code: 131000 });
    await call('POST', '/_sim/faults', { code: 131016, httpStatus: 503 });
    expect((await send(templateTo(ANA))).status).toBe(429);
    expect((await send(templateTo(ANA))).status).toBe(500);
    expect((await send(templateTo(ANA))).status).toBe(503);
  });

  it('targets one user', async () => {
    await call('POST', '/_sim/faults', { code: 131050, to: `+${BOB}` });
    expect((await send(templateTo(ANA))).status).toBe(200);
    expect((await send(templateTo(BOB))).json.error.code).toBe(131050);
  });

  it('adds latency and still sends', async () => {
    await call('POST', '/_sim/faults', { latencyMs: 150 });
    const started = Date.now();
    const { status } = await send(templateTo(ANA));
    expect(status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await call('GET', '/_sim/messages')).json).toHaveLength(1);
  });

  it('drops the connection without answering', async () => {
    await call('POST', '/_sim/faults', { drop: true });
    await expect(send(templateTo(ANA))).rejects.toThrow();
    expect((await call('GET', '/_sim/messages')).json).toEqual([]);
    expect((await send(templateTo(ANA))).status).toBe(200);
  });

  it('answers a bare 5xx with a Meta error body, code 131000', async () => {
    await call('POST', '/_sim/faults', { httpStatus: 502 });
    const { status, json } = await send(templateTo(ANA));
    expect(status).toBe(502);
    expect(json.error).toMatchObject({ code: 131000, type: 'OAuthException' });
  });

  it('refuses an empty fault and clears pending ones', async () => {
    expect((await call('POST', '/_sim/faults', {})).status).toBe(400);
    await call('POST', '/_sim/faults', { code: 368, count: 5 });
    expect((await call('DELETE', '/_sim/faults')).status).toBe(200);
    expect((await call('GET', '/_sim/faults')).json).toEqual([]);
    expect((await send(templateTo(ANA))).status).toBe(200);
    const stats = (await call('GET', '/_sim/stats')).json;
    expect(stats).toMatchObject({ sends: 1, accepted: 1, rejected: 0 });
  });
});

describe('/_sim/inbound', () => {
  it('posts a signed, Meta-shaped text message with non-ASCII escaped, and returns the receiver status', async () => {
    receiver.respond = () => 202;
    const { status, json } = await call('POST', '/_sim/inbound', { from: `+${ANA}`, name: 'Ána', text: 'Olá 😀 / ok' });
    expect(status).toBe(200);
    expect(json).toEqual({ wamid: expect.stringMatching(/^wamid\./), status: 202 });
    const [received] = receiver.received;
    expectSigned(received);
    expect(received.raw).toContain(String.raw`Ol\u00e1 \ud83d\ude00 \/ ok`);
    expect(received.raw).toMatch(/^[\x20-\x7e]*$/);
    expect(received.body.entry[0]).toEqual({
      id: NUMBER.wabaId,
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: NUMBER.displayPhoneNumber, phone_number_id: NUMBER.phoneNumberId },
            contacts: [{ profile: { name: 'Ána' }, wa_id: ANA, user_id: deriveBsuid(ANA) }],
            messages: [
              {
                from: ANA,
                from_user_id: deriveBsuid(ANA),
                id: json.wamid,
                timestamp: expect.stringMatching(/^\d{10}$/),
                type: 'text',
                text: { body: 'Olá 😀 / ok' },
              },
            ],
          },
        },
      ],
    });
  });

  it('replies to the last interactive message with a button_reply in context', async () => {
    await openWindow(ANA);
    const sent = await send(buttonsTo(ANA));
    receiver.clear();
    const { json } = await call('POST', '/_sim/inbound', {
      from: ANA,
      button_reply: { id: 'human', title: 'Falar com atendente' },
    });
    expect(json.status).toBe(200);
    const inbound = receiver.received.find((r) => r.body.entry[0].changes[0].value.messages)!;
    expectSigned(inbound);
    expect(inbound.body.entry[0].changes[0].value.messages?.[0]).toEqual({
      context: { from: NUMBER.displayPhoneNumber, id: sent.json.messages[0].id },
      from: ANA,
      from_user_id: deriveBsuid(ANA),
      id: json.wamid,
      timestamp: expect.any(String),
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'human', title: 'Falar com atendente' } },
    });
  });

  it('needs a context for a button reply when nothing interactive was sent', async () => {
    const { status } = await call('POST', '/_sim/inbound', { from: ANA, button_reply: { id: 'a', title: 'A' } });
    expect(status).toBe(400);
    const explicit = await call('POST', '/_sim/inbound', {
      from: ANA,
      button_reply: { id: 'a', title: 'A' },
      context: 'wamid.GIVEN',
    });
    expect(explicit.json.status).toBe(200);
    expect(receiver.received[0].body.entry[0].changes[0].value.messages?.[0].context?.id).toBe('wamid.GIVEN');
  });

  it('reports status 0 when the platform is unreachable, and refuses bad requests', async () => {
    const { json } = await call('POST', '/_sim/inbound', {
      from: ANA,
      text: 'x',
      phoneNumberId: NUMBER_B.phoneNumberId,
    });
    expect(json.status).toBe(0);
    expect((await call('POST', '/_sim/inbound', { from: ANA, text: 'x', phoneNumberId: '404' })).status).toBe(400);
    expect((await call('POST', '/_sim/inbound', { from: 'ana', text: 'x' })).status).toBe(400);
    expect((await call('POST', '/_sim/inbound', 'not json')).status).toBe(400);
  });
});

describe('/_sim/webhook', () => {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: NUMBER.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: NUMBER.displayPhoneNumber, phone_number_id: NUMBER.phoneNumberId },
              statuses: [{ id: 'wamid.X', status: 'read', timestamp: '1', recipient_id: ANA }],
            },
          },
        ],
      },
    ],
  };

  it('posts a payload validly signed, forged, or unsigned, and returns the answer', async () => {
    receiver.respond = (received) =>
      received.headers['x-hub-signature-256'] === signWebhookBody(received.raw, SECRET) ? 200 : 401;
    expect((await call('POST', '/_sim/webhook', { payload })).json).toEqual({ status: 200, body: 'EVENT_RECEIVED' });
    expect((await call('POST', '/_sim/webhook', { payload, signature: 'forged' })).json).toEqual({
      status: 401,
      body: 'nope',
    });
    expect((await call('POST', '/_sim/webhook', { payload, signature: 'none' })).json.status).toBe(401);
    expect(receiver.received[2].headers['x-hub-signature-256']).toBeUndefined();
    expect((await call('POST', '/_sim/webhook', { payload, appSecret: 'another' })).json.status).toBe(401);
    expect(receiver.received[3].headers['x-hub-signature-256']).toBe(
      signWebhookBody(receiver.received[3].raw, 'another'),
    );
  });

  it('sends a raw body byte for byte', async () => {
    const raw = '{"object":"whatsapp_business_account",  "entry":[]}';
    await call('POST', '/_sim/webhook', { raw });
    expect(receiver.received[0].raw).toBe(raw);
    expectSigned(receiver.received[0]);
  });

  it('routes by phone_number_id to the app that owns the number', async () => {
    const forB = JSON.parse(JSON.stringify(payload).replaceAll(NUMBER.phoneNumberId, NUMBER_B.phoneNumberId));
    expect((await call('POST', '/_sim/webhook', { payload: forB })).json.status).toBe(0);
    expect(receiver.received).toEqual([]);
  });
});

describe('/_sim/messages', () => {
  it('lists accepted messages oldest first, by number (any format) or BSUID', async () => {
    await openWindow(ANA);
    await openWindow(BOB);
    const first = await send(textTo(ANA, 'um'));
    await send(textTo(BOB, 'dois'));
    const third = await send(buttonsTo(`+${ANA}`));

    const toAna = (await call<Listed[]>('GET', `/_sim/messages?to=${ANA}`)).json;
    expect(toAna.map((m) => m.id)).toEqual([first.json.messages[0].id, third.json.messages[0].id]);
    expect(toAna[0]).toEqual({
      ...textTo(ANA, 'um'),
      id: first.json.messages[0].id,
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect((await call('GET', `/_sim/messages?to=%2B${ANA}`)).json).toEqual(toAna);
    expect((await call('GET', `/_sim/messages?to=${deriveBsuid(ANA)}`)).json).toEqual(toAna);
    const all = (await call<Listed[]>('GET', '/_sim/messages')).json;
    expect(all.map((m) => m.text?.body ?? m.type)).toEqual(['um', 'dois', 'interactive']);
    expect((await call('GET', '/_sim/messages?to=nobody')).status).toBe(400);
  });
});

describe('media', () => {
  it('uploads a file, describes and serves it, and sends it as a document by id', async () => {
    const bytes = Buffer.from('%PDF-1.4 simulated receipt');
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'application/pdf');
    form.set('file', new Blob([bytes], { type: 'application/pdf' }), 'recibo.pdf');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const upload = await fetch(`${simulator.url}/v25.0/${NUMBER.phoneNumberId}/media`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    expect(upload.status).toBe(200);
    const { id } = (await upload.json()) as { id: string };
    expect(id).toMatch(/^\d{16}$/);

    const info = await call('GET', `/v25.0/${id}`, undefined, auth);
    expect(info.json).toEqual({
      messaging_product: 'whatsapp',
      url: `${simulator.url}/_sim/media/${id}`,
      mime_type: 'application/pdf',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      file_size: bytes.length,
      id,
    });
    const download = await fetch(info.json.url, { headers: auth });
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(download.headers.get('content-type')).toBe('application/pdf');

    await openWindow(ANA);
    const document = {
      messaging_product: 'whatsapp',
      to: ANA,
      type: 'document',
      document: { id, filename: 'recibo.pdf' },
    };
    expect((await send(document)).status).toBe(200);
    expect((await call<Listed[]>('GET', `/_sim/messages?to=${ANA}`)).json[0].document).toEqual({
      id,
      filename: 'recibo.pdf',
    });

    expect((await call('DELETE', `/v25.0/${id}`, undefined, auth)).json).toEqual({ success: true });
    expect((await call('GET', `/v25.0/${id}`, undefined, auth)).json.error.code).toBe(100);
  });

  it('refuses an upload without a file or a type', async () => {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'application/pdf');
    const noFile = await fetch(`${simulator.url}/v25.0/${NUMBER.phoneNumberId}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form,
    });
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as Answer).error.code).toBe(131008);
    const notMultipart = await call(
      'POST',
      `/v25.0/${NUMBER.phoneNumberId}/media`,
      { file: 'x' },
      {
        authorization: `Bearer ${TOKEN}`,
      },
    );
    expect(notMultipart.json.error.code).toBe(100);
  });
});

describe('/_sim/user-preferences', () => {
  it('posts a signed user_preferences webhook', async () => {
    const { json } = await call('POST', '/_sim/user-preferences', { from: ANA, value: 'stop' });
    expect(json).toEqual({ status: 200 });
    const [received] = receiver.received;
    expectSigned(received);
    expect(received.body.entry[0].changes[0]).toEqual({
      field: 'user_preferences',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: NUMBER.displayPhoneNumber, phone_number_id: NUMBER.phoneNumberId },
        user_preferences: [
          {
            wa_id: ANA,
            user_id: deriveBsuid(ANA),
            detail: expect.any(String),
            category: 'marketing_messages',
            value: 'stop',
            timestamp: expect.any(Number),
          },
        ],
      },
    });
    expect(Number.isInteger(received.body.entry[0].changes[0].value.user_preferences?.[0].timestamp)).toBe(true);
    expect((await call('POST', '/_sim/user-preferences', { from: ANA, value: 'later' })).status).toBe(400);
  });
});

describe('/_sim/reset', () => {
  it('forgets messages, windows, faults, media and counters', async () => {
    await openWindow(ANA);
    await send(textTo(ANA));
    await call('POST', '/_sim/faults', { code: 4, count: 3 });
    expect((await call('GET', '/_sim/stats')).json).toMatchObject({ sends: 1, accepted: 1 });

    expect((await call('POST', '/_sim/reset')).json).toEqual({ ok: true });
    receiver.clear();
    expect((await call('GET', '/_sim/messages')).json).toEqual([]);
    expect((await call('GET', '/_sim/faults')).json).toEqual([]);
    expect((await call('GET', '/_sim/stats')).json).toEqual({
      sends: 0,
      accepted: 0,
      rejected: 0,
      webhooksPosted: 0,
      webhookFailures: 0,
    });
    // The window is closed again: the next session message fails.
    const { json } = await send(textTo(ANA));
    const [failed] = await receiver.waitFor(() => {
      const found = receiver.statusesOf(json.messages[0].id);
      return found.length > 0 ? found : undefined;
    });
    expect(failed.status).toBe('failed');
  });
});
