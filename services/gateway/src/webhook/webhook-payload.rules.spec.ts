import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type InboundMessage,
  MAX_ID_CHARS,
  MAX_LABEL_CHARS,
  MAX_STRUCTURED_CHARS,
  MAX_TEXT_CHARS,
  MAX_URL_CHARS,
  normalizeChanges,
  type NormalizedChanges,
  type StatusUpdate,
} from './webhook-payload.rules';
import { routeWebhook, type WebhookChange } from './webhook-routing.rules';

const FIXTURES = join(__dirname, '__fixtures__');
const WA = '5511987654321';
const WA2 = '5521998765432';
const NAME = 'Ana Souza';
const NAME2 = 'Bruno Lima';
const BSUID = 'BR.1a2b3c4d5e6f7a8b9c0d';
const BSUID2 = 'BR.9f8e7d6c5b4a3f2e1d0c';
const SHA = 'dGVzdC1zaGEyNTYtbm90LXJlYWwtMDAwMDAwMDAwMDA=';
const T = 1767225600;
/** The fixtures' clock: minute `k` after 2026-01-01T00:00:00Z, plus `s` seconds. */
const at = (k: number, s = 0): Date => new Date((T + k * 60 + s) * 1000);
const PRICING = { category: 'service', type: 'free_customer_service', billable: false };

const none: NormalizedChanges = { messages: [], statuses: [], preferences: [], errors: [], skipped: [] };
const only = (part: Partial<NormalizedChanges>): NormalizedChanges => ({ ...none, ...part });
const fromAna = (message: Omit<InboundMessage, 'from' | 'profileName'>): InboundMessage => ({
  from: WA,
  profileName: NAME,
  ...message,
});
const status = (update: Omit<StatusUpdate, 'errors'> & Partial<Pick<StatusUpdate, 'errors'>>): StatusUpdate => ({
  errors: [],
  ...update,
});

/** The exact normalized result of every fixture, one entry per business number in routing order. */
const EXPECTED: Record<string, NormalizedChanges[]> = {
  text: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0001',
          sentAt: at(0),
          type: 'text',
          content: { text: 'Quero remarcar meu horário' },
        }),
      ],
    }),
  ],
  'interactive-button-reply': [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0002',
          sentAt: at(1),
          type: 'interactive',
          replyTo: 'wamid.OUTBOUND0007',
          interaction: { kind: 'button_reply', id: 'talk-to-human', title: 'Falar com atendente' },
          content: { interactionTitle: 'Falar com atendente' },
        }),
      ],
    }),
  ],
  'interactive-list-reply': [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0003',
          sentAt: at(3),
          type: 'interactive',
          replyTo: 'wamid.OUTBOUND0009',
          interaction: {
            kind: 'list_reply',
            id: 'slot-2026-01-02-0900',
            title: 'Sex 02/01 09:00',
            description: 'Dra. Carla Mendes, sala 3',
          },
          content: { interactionTitle: 'Sex 02/01 09:00' },
        }),
      ],
    }),
  ],
  'template-button': [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0004',
          sentAt: at(4),
          type: 'button',
          replyTo: 'wamid.OUTBOUND0010',
          interaction: { kind: 'template_button', id: 'STOP', title: 'Parar' },
          content: { interactionTitle: 'Parar' },
        }),
      ],
    }),
  ],
  image: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0005',
          sentAt: at(5),
          type: 'image',
          content: {
            caption: 'Foto do pedido médico',
            media: {
              id: '1479530000000001',
              mimeType: 'image/jpeg',
              sha256: SHA,
              url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1479530000000001&ext=1767225900&hash=ATtestOnlyHash',
            },
          },
        }),
      ],
    }),
  ],
  audio: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0006',
          sentAt: at(6),
          type: 'audio',
          content: { media: { id: '1479530000000002', mimeType: 'audio/ogg; codecs=opus', sha256: SHA, voice: true } },
        }),
      ],
    }),
  ],
  video: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0007',
          sentAt: at(7),
          type: 'video',
          content: { caption: 'Como ficou', media: { id: '1479530000000003', mimeType: 'video/mp4', sha256: SHA } },
        }),
      ],
    }),
  ],
  document: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0008',
          sentAt: at(8),
          type: 'document',
          content: {
            caption: 'Segue o pedido',
            media: { id: '1479530000000004', mimeType: 'application/pdf', sha256: SHA, filename: 'pedido-medico.pdf' },
          },
        }),
      ],
    }),
  ],
  sticker: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0009',
          sentAt: at(9),
          type: 'sticker',
          content: { media: { id: '1479530000000005', mimeType: 'image/webp', sha256: SHA } },
        }),
      ],
    }),
  ],
  location: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0010',
          sentAt: at(10),
          type: 'location',
          content: {
            location: {
              latitude: -23.561414,
              longitude: -46.655881,
              name: 'Clínica Exemplo',
              address: 'Av. Paulista, 1000, São Paulo',
              url: 'https://clinica.example.com',
            },
          },
        }),
      ],
    }),
  ],
  contacts: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0011',
          sentAt: at(11),
          type: 'contacts',
          content: {
            contacts: [
              {
                name: { formatted_name: 'Carla Mendes', first_name: 'Carla', last_name: 'Mendes' },
                phones: [{ phone: '+55 11 91234-5678', wa_id: '5511912345678', type: 'CELL' }],
              },
            ],
          },
        }),
      ],
    }),
  ],
  reaction: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0012',
          sentAt: at(12),
          type: 'reaction',
          content: { reaction: { messageId: 'wamid.OUTBOUND0007', emoji: '👍' } },
        }),
      ],
    }),
  ],
  'reaction-removed': [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0013',
          sentAt: at(13),
          type: 'reaction',
          content: { reaction: { messageId: 'wamid.OUTBOUND0007' } },
        }),
      ],
    }),
  ],
  order: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0014',
          sentAt: at(14),
          type: 'order',
          content: {
            order: {
              catalog_id: '100200300400500',
              text: 'Quero esses',
              product_items: [{ product_retailer_id: 'SKU-001', quantity: 2, item_price: 49.9, currency: 'BRL' }],
            },
          },
        }),
      ],
    }),
  ],
  'system-user-changed-number': [
    only({
      messages: [
        {
          wamid: 'wamid.TEST0015',
          sentAt: at(15),
          from: WA,
          type: 'system',
          content: {
            system: {
              type: 'user_changed_number',
              body: 'User Ana Souza changed from 5511987654321 to 5511976543210',
              newWaId: '5511976543210',
            },
          },
        },
      ],
    }),
  ],
  'system-user-changed-user-id': [
    only({
      messages: [
        {
          wamid: 'wamid.TEST0016',
          sentAt: at(16),
          fromUserId: BSUID,
          type: 'system',
          content: {
            system: {
              type: 'user_changed_user_id',
              body: `User Ana Souza changed from ${BSUID} to ${BSUID2}`,
              newUserId: BSUID2,
            },
          },
        },
      ],
    }),
  ],
  'unsupported-with-errors': [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0017',
          sentAt: at(17),
          type: 'unsupported',
          content: {},
          errors: [{ code: 131051, title: 'Message type unknown' }],
        }),
      ],
    }),
  ],
  referral: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0018',
          sentAt: at(18),
          type: 'text',
          content: {
            text: 'Olá! Vi o anúncio e quero agendar.',
            referral: {
              sourceUrl: 'https://fb.me/testAd0001',
              sourceId: '120210000000000001',
              sourceType: 'ad',
              headline: 'Clínica Exemplo',
              body: 'Agende sua consulta em 1 minuto',
              ctwaClid: 'ARAtestOnlyClickId0001',
            },
          },
        }),
      ],
    }),
  ],
  forwarded: [
    only({
      messages: [
        fromAna({
          wamid: 'wamid.TEST0019',
          sentAt: at(19),
          type: 'text',
          forwarded: 'forwarded',
          content: { text: 'Olha essa promoção' },
        }),
        fromAna({
          wamid: 'wamid.TEST0020',
          sentAt: at(20),
          type: 'text',
          forwarded: 'frequently_forwarded',
          content: { text: 'Corrente: repasse para 10 amigos' },
        }),
      ],
    }),
  ],
  'statuses-sent-delivered-read': [
    only({
      statuses: [
        status({
          wamid: 'wamid.OUTBOUND0007',
          status: 'sent',
          at: at(21),
          recipientId: WA,
          callbackData: 'outbound-7',
        }),
        status({
          wamid: 'wamid.OUTBOUND0007',
          status: 'delivered',
          at: at(21, 5),
          recipientId: WA,
          callbackData: 'outbound-7',
          pricing: PRICING,
        }),
        status({
          wamid: 'wamid.OUTBOUND0007',
          status: 'read',
          at: at(22),
          recipientId: WA,
          callbackData: 'outbound-7',
        }),
      ],
    }),
  ],
  'status-failed-131047': [
    only({
      statuses: [
        status({
          wamid: 'wamid.OUTBOUND0008',
          status: 'failed',
          at: new Date(1767312000 * 1000),
          recipientId: WA,
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              details:
                'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
            },
          ],
        }),
      ],
    }),
  ],
  'status-played': [
    only({ statuses: [status({ wamid: 'wamid.OUTBOUND0011', status: 'played', at: at(23), recipientId: WA })] }),
  ],
  'status-read-without-delivered': [
    only({
      statuses: [
        status({ wamid: 'wamid.OUTBOUND0012', status: 'sent', at: at(24), recipientId: WA }),
        status({ wamid: 'wamid.OUTBOUND0012', status: 'read', at: at(24, 2), recipientId: WA, pricing: PRICING }),
      ],
    }),
  ],
  'group-status': [
    only({
      statuses: [
        status({
          wamid: 'wamid.OUTBOUND0013',
          status: 'delivered',
          at: at(25),
          group: { groupId: 'Y2FwaV9ncm91cDoxNTU1MTIzMDAwMDoxMjAzNjM0MDQ2OTQyMzM4MjA', participantId: WA },
        }),
      ],
    }),
  ],
  'value-errors': [
    only({
      errors: [{ code: 130429, title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.' }],
    }),
  ],
  'user-preferences-stop': [
    only({ preferences: [{ waId: WA, category: 'marketing_messages', value: 'stop', at: at(26) }] }),
  ],
  'user-preferences-resume': [
    only({ preferences: [{ waId: WA, category: 'marketing_messages', value: 'resume', at: at(27) }] }),
  ],
  'bsuid-only': [
    only({
      messages: [
        {
          wamid: 'wamid.TEST0021',
          sentAt: at(28),
          fromUserId: BSUID,
          profileName: NAME,
          type: 'text',
          content: { text: 'Oi, queria saber o horário de sábado' },
        },
      ],
    }),
  ],
  batched: [
    only({
      messages: [
        fromAna({ wamid: 'wamid.TEST0022', sentAt: at(29), type: 'text', content: { text: 'Bom dia' } }),
        {
          wamid: 'wamid.TEST0023',
          sentAt: at(29),
          from: WA2,
          profileName: NAME2,
          type: 'text',
          content: { text: 'Oi, sou o Bruno' },
        },
      ],
      statuses: [status({ wamid: 'wamid.OUTBOUND0022', status: 'read', at: at(30), recipientId: WA })],
    }),
    only({
      messages: [
        {
          wamid: 'wamid.TEST0024',
          sentAt: at(30),
          from: WA2,
          profileName: NAME2,
          type: 'text',
          content: { text: 'Preciso de ajuda' },
        },
      ],
      statuses: [
        status({ wamid: 'wamid.OUTBOUND0020', status: 'sent', at: at(29), recipientId: WA2 }),
        status({ wamid: 'wamid.OUTBOUND0021', status: 'delivered', at: at(29, 1), recipientId: WA }),
      ],
    }),
  ],
  'account-update': [],
};

function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

/** One change of field 'messages' (or another field) carrying `value`. */
function normalize(value: Record<string, unknown>, field = 'messages'): NormalizedChanges {
  return normalizeChanges([{ field, value }]);
}

const BASE = { from: WA, id: 'wamid.X1', timestamp: String(T), type: 'text', text: { body: 'oi' } };

/** Normalizes one message built from BASE with `patch` applied (undefined deletes a key). */
function one(patch: Record<string, unknown>, extra: Record<string, unknown> = {}): NormalizedChanges {
  const message: Record<string, unknown> = { ...BASE, ...patch };
  for (const key of Object.keys(patch)) {
    if (patch[key] === undefined) {
      delete message[key];
    }
  }
  return normalize({ messages: [message], ...extra });
}

/** The reason the single message was skipped (and proof that it was). */
function skipReason(patch: Record<string, unknown>): string {
  const result = one(patch);
  expect(result.messages).toEqual([]);
  expect(result.skipped).toHaveLength(1);
  expect(result.skipped[0].path).toBe('changes[0].value.messages[0]');
  return result.skipped[0].reason;
}

function onlyMessage(patch: Record<string, unknown>, extra: Record<string, unknown> = {}): InboundMessage {
  const result = one(patch, extra);
  expect(result.skipped).toEqual([]);
  expect(result.messages).toHaveLength(1);
  return result.messages[0];
}

const BASE_STATUS = { id: 'wamid.OUT1', status: 'delivered', timestamp: String(T), recipient_id: WA };

function oneStatus(patch: Record<string, unknown>): NormalizedChanges {
  const item: Record<string, unknown> = { ...BASE_STATUS, ...patch };
  for (const key of Object.keys(patch)) {
    if (patch[key] === undefined) {
      delete item[key];
    }
  }
  return normalize({ statuses: [item] });
}

const BASE_PREFERENCE = { wa_id: WA, category: 'marketing_messages', value: 'stop', timestamp: T };

function onePreference(patch: Record<string, unknown>): NormalizedChanges {
  const item: Record<string, unknown> = { ...BASE_PREFERENCE, ...patch };
  for (const key of Object.keys(patch)) {
    if (patch[key] === undefined) {
      delete item[key];
    }
  }
  return normalize({ user_preferences: [item] }, 'user_preferences');
}

describe('normalizeChanges', () => {
  describe('fixtures', () => {
    it('has an expected result for every fixture file, and a file for every expected result', () => {
      expect(fixtureNames()).toEqual(Object.keys(EXPECTED).sort());
    });

    it.each(fixtureNames())('normalizes %s exactly', (name) => {
      const routed = routeWebhook(loadFixture(name));
      expect(routed.byNumber.map((group) => normalizeChanges(group.changes))).toStrictEqual(EXPECTED[name]);
    });
  });

  describe('messages', () => {
    it('keeps the sender as digits, stripping a leading +', () => {
      expect(onlyMessage({ from: '+5511987654321' }).from).toBe(WA);
    });

    it.each([
      [{ from: 5511987654321 }, 'from:not-a-string'],
      [{ from: '55 11 98765-4321' }, 'from:bad-format'],
      [{ from: '++5511987654321' }, 'from:bad-format'],
      [{ from: '1'.repeat(21) }, 'from:bad-format'],
      [{ from: '1'.repeat(65) }, 'from:too-long'],
      [{ from_user_id: 'US-134912' }, 'from_user_id:bad-format'],
      [{ from_user_id: `US.${'a'.repeat(129)}` }, 'from_user_id:bad-format'],
      [{ from_user_id: 42 }, 'from_user_id:not-a-string'],
      [{ from: undefined }, 'missing-sender'],
      [{ from: '' }, 'missing-sender'],
    ])('skips a message with a bad sender %p', (patch, reason) => {
      expect(skipReason(patch)).toBe(reason);
    });

    it('accepts 1..20 digit wa_ids and 1..128 character BSUIDs', () => {
      expect(onlyMessage({ from: '1' }).from).toBe('1');
      expect(onlyMessage({ from: '9'.repeat(20) }).from).toBe('9'.repeat(20));
      const longest = `US.${'a1'.repeat(64)}`;
      expect(onlyMessage({ from: undefined, from_user_id: longest }).fromUserId).toBe(longest);
    });

    it('keeps both identities when both are present', () => {
      const message = onlyMessage({ from_user_id: BSUID });
      expect(message.from).toBe(WA);
      expect(message.fromUserId).toBe(BSUID);
    });

    it.each([
      [{ id: undefined }, 'id:missing'],
      [{ id: '' }, 'id:empty'],
      [{ id: 7 }, 'id:not-a-string'],
      [{ id: 'w'.repeat(MAX_ID_CHARS + 1) }, 'id:too-long'],
    ])('skips a message with a bad wamid %p', (patch, reason) => {
      expect(skipReason(patch)).toBe(reason);
    });

    it('accepts a wamid of exactly MAX_ID_CHARS', () => {
      expect(onlyMessage({ id: 'w'.repeat(MAX_ID_CHARS) }).wamid).toHaveLength(MAX_ID_CHARS);
    });

    it.each([
      ['1767225600', new Date(1767225600000)],
      [1767225600, new Date(1767225600000)],
      ['0', new Date(0)],
      ['999999999999', new Date(999999999999000)],
      [999_999_999_999, new Date(999999999999000)],
    ])('reads the timestamp %p (documented as a string; an integer is tolerated)', (timestamp, date) => {
      expect(onlyMessage({ timestamp }).sentAt).toEqual(date);
    });

    it.each([
      [{ timestamp: undefined }, 'timestamp:missing'],
      [{ timestamp: '' }, 'timestamp:bad-format'],
      [{ timestamp: '1767225600.5' }, 'timestamp:bad-format'],
      [{ timestamp: ' 1767225600' }, 'timestamp:bad-format'],
      [{ timestamp: '-1' }, 'timestamp:bad-format'],
      [{ timestamp: '1000000000000' }, 'timestamp:bad-format'],
      [{ timestamp: 1767225600.5 }, 'timestamp:bad-format'],
      [{ timestamp: -1 }, 'timestamp:bad-format'],
      [{ timestamp: 1_000_000_000_000 }, 'timestamp:bad-format'],
      [{ timestamp: true }, 'timestamp:bad-format'],
    ])('skips a message with a bad timestamp %p', (patch, reason) => {
      expect(skipReason(patch)).toBe(reason);
    });

    it.each([
      [{ type: undefined }, 'type:missing'],
      [{ type: 3 }, 'type:not-a-string'],
      [{ type: 'x'.repeat(65) }, 'type:too-long'],
    ])('skips a message with a bad type %p', (patch, reason) => {
      expect(skipReason(patch)).toBe(reason);
    });

    it('maps unknown types to unsupported and keeps nothing of their payload', () => {
      const message = onlyMessage({ type: 'ephemeral', ephemeral: { body: 'secret' } });
      expect(message).toStrictEqual({
        wamid: 'wamid.X1',
        sentAt: new Date(T * 1000),
        from: WA,
        type: 'unsupported',
        content: {},
      });
    });

    it('reads own properties only, never inherited ones', () => {
      const message: Record<string, unknown> = Object.create({ text: { body: 'inherited' } }) as Record<
        string,
        unknown
      >;
      Object.assign(message, { from: WA, id: 'wamid.X1', timestamp: String(T), type: 'text' });
      expect(normalize({ messages: [message] }).skipped).toEqual([
        { path: 'changes[0].value.messages[0]', reason: 'text:missing' },
      ]);
    });

    describe('text', () => {
      it.each([
        [{ text: undefined }, 'text:missing'],
        [{ text: 'oi' }, 'text:not-an-object'],
        [{ text: {} }, 'text.body:missing'],
        [{ text: { body: '' } }, 'text.body:empty'],
        [{ text: { body: 1 } }, 'text.body:not-a-string'],
        [{ text: { body: 'a'.repeat(MAX_TEXT_CHARS + 1) } }, 'text.body:too-long'],
      ])('skips %p', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });

      it('accepts a body of exactly MAX_TEXT_CHARS', () => {
        expect(onlyMessage({ text: { body: 'a'.repeat(MAX_TEXT_CHARS) } }).content.text).toHaveLength(MAX_TEXT_CHARS);
      });
    });

    describe('context', () => {
      it('reads the replied-to wamid', () => {
        expect(onlyMessage({ context: { from: '15551230000', id: 'wamid.OUT9' } }).replyTo).toBe('wamid.OUT9');
      });

      it('prefers frequently_forwarded over forwarded, and ignores false flags', () => {
        expect(onlyMessage({ context: { forwarded: true, frequently_forwarded: true } }).forwarded).toBe(
          'frequently_forwarded',
        );
        expect(onlyMessage({ context: { forwarded: false } })).not.toHaveProperty('forwarded');
        expect(onlyMessage({ context: {} })).not.toHaveProperty('replyTo');
      });

      it.each([
        [{ context: 'wamid.OUT9' }, 'context:not-an-object'],
        [{ context: { id: 9 } }, 'context.id:not-a-string'],
        [{ context: { forwarded: 'true' } }, 'context.forwarded:not-a-boolean'],
        [{ context: { frequently_forwarded: 1 } }, 'context.frequently_forwarded:not-a-boolean'],
      ])('skips %p', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });
    });

    describe('interactive and template buttons', () => {
      it('maps unknown interactive replies (flows, products) to unsupported without an interaction', () => {
        const message = onlyMessage({ type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { x: 1 } } });
        expect(message.type).toBe('unsupported');
        expect(message).not.toHaveProperty('interaction');
        expect(message.content).toEqual({});
      });

      it('reads a list reply without description', () => {
        const message = onlyMessage({
          type: 'interactive',
          interactive: { type: 'list_reply', list_reply: { id: 'row-1', title: 'Manhã' } },
        });
        expect(message.interaction).toStrictEqual({ kind: 'list_reply', id: 'row-1', title: 'Manhã' });
      });

      it.each([
        [{ type: 'interactive' }, 'interactive:missing'],
        [{ type: 'interactive', interactive: {} }, 'interactive.type:missing'],
        [{ type: 'interactive', interactive: { type: 'button_reply' } }, 'interactive.button_reply:missing'],
        [
          { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'a' } } },
          'interactive.button_reply.title:missing',
        ],
        [
          { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 1, title: 'a' } } },
          'interactive.list_reply.id:not-a-string',
        ],
        [
          {
            type: 'interactive',
            interactive: { type: 'list_reply', list_reply: { id: 'a', title: 'b', description: 'c'.repeat(1025) } },
          },
          'interactive.list_reply.description:too-long',
        ],
        [{ type: 'button', button: { text: 'Parar' } }, 'button.payload:missing'],
        [{ type: 'button', button: { payload: 'STOP', text: 5 } }, 'button.text:not-a-string'],
      ])('skips %p', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });
    });

    describe('media', () => {
      it.each(['image', 'audio', 'video', 'document', 'sticker'])('reads %s metadata only', (type) => {
        const message = onlyMessage({ type, [type]: { id: 'm1', link: 'ignored', animated: true } });
        expect(message.content).toStrictEqual({ media: { id: 'm1' } });
      });

      it('accepts an http media URL and drops an empty caption', () => {
        const message = onlyMessage({
          type: 'image',
          image: { id: 'm1', url: 'http://127.0.0.1:9000/m1', caption: '' },
        });
        expect(message.content).toStrictEqual({ media: { id: 'm1', url: 'http://127.0.0.1:9000/m1' } });
      });

      it.each([
        [{ type: 'image' }, 'image:missing'],
        [{ type: 'image', image: [] }, 'image:not-an-object'],
        [{ type: 'image', image: { mime_type: 'image/jpeg' } }, 'image.id:missing'],
        [{ type: 'image', image: { id: 'm1', url: 'ftp://example.com/x' } }, 'image.url:bad-format'],
        [{ type: 'image', image: { id: 'm1', url: '/relative' } }, 'image.url:bad-format'],
        [
          { type: 'image', image: { id: 'm1', url: `https://e.com/${'a'.repeat(MAX_URL_CHARS)}` } },
          'image.url:too-long',
        ],
        [{ type: 'audio', audio: { id: 'm1', voice: 'true' } }, 'audio.voice:not-a-boolean'],
        [{ type: 'video', video: { id: 'm1', caption: 'a'.repeat(MAX_TEXT_CHARS + 1) } }, 'video.caption:too-long'],
        [
          { type: 'document', document: { id: 'm1', filename: 'f'.repeat(MAX_LABEL_CHARS + 1) } },
          'document.filename:too-long',
        ],
        [{ type: 'sticker', sticker: { id: 'm1', mime_type: 4 } }, 'sticker.mime_type:not-a-string'],
      ])('skips %p', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });
    });

    describe('location', () => {
      it('accepts the coordinate bounds', () => {
        const message = onlyMessage({ type: 'location', location: { latitude: -90, longitude: 180 } });
        expect(message.content.location).toStrictEqual({ latitude: -90, longitude: 180 });
      });

      it.each([
        [{ type: 'location', location: { longitude: 0 } }, 'location.latitude:missing'],
        [{ type: 'location', location: { latitude: '-23.5', longitude: 0 } }, 'location.latitude:not-a-number'],
        [{ type: 'location', location: { latitude: 90.000001, longitude: 0 } }, 'location.latitude:out-of-range'],
        [{ type: 'location', location: { latitude: 0, longitude: -180.000001 } }, 'location.longitude:out-of-range'],
        [{ type: 'location', location: { latitude: 0, longitude: Infinity } }, 'location.longitude:not-a-number'],
        [{ type: 'location', location: { latitude: 0, longitude: 0, name: 1 } }, 'location.name:not-a-string'],
      ])('skips %p', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });
    });

    describe('contacts and orders (kept as JSON, bounded)', () => {
      it('keeps contacts and orders just under the size bound', () => {
        const contacts = [{ name: { formatted_name: 'a'.repeat(MAX_STRUCTURED_CHARS - 100) } }];
        expect(onlyMessage({ type: 'contacts', contacts }).content.contacts).toBe(contacts);
      });

      it.each([
        [{ type: 'contacts' }, 'contacts:missing'],
        [{ type: 'contacts', contacts: {} }, 'contacts:not-an-array'],
        [{ type: 'contacts', contacts: [{ name: 'a'.repeat(MAX_STRUCTURED_CHARS) }] }, 'contacts:too-large'],
        [{ type: 'contacts', contacts: Array.from({ length: MAX_STRUCTURED_CHARS }, () => 0) }, 'contacts:too-large'],
        [{ type: 'order' }, 'order:missing'],
        [{ type: 'order', order: [] }, 'order:not-an-object'],
        [{ type: 'order', order: { items: [{ [`k${'e'.repeat(MAX_STRUCTURED_CHARS)}`]: 1 }] } }, 'order:too-large'],
      ])('skips %#', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });

      it('skips hostile nesting without overflowing the stack', () => {
        let deep: unknown = 'x';
        for (let level = 0; level < 100_000; level++) {
          deep = [deep];
        }
        expect(skipReason({ type: 'contacts', contacts: deep })).toBe('contacts:too-large');
      });
    });

    describe('reactions', () => {
      it('treats an empty emoji as a removed reaction', () => {
        const message = onlyMessage({ type: 'reaction', reaction: { message_id: 'wamid.OUT1', emoji: '' } });
        expect(message.content).toStrictEqual({ reaction: { messageId: 'wamid.OUT1' } });
      });

      it.each([
        [{ type: 'reaction', reaction: { emoji: '👍' } }, 'reaction.message_id:missing'],
        [{ type: 'reaction', reaction: { message_id: 'w', emoji: 1 } }, 'reaction.emoji:not-a-string'],
        [{ type: 'reaction', reaction: { message_id: 'w', emoji: '👍'.repeat(33) } }, 'reaction.emoji:too-long'],
      ])('skips %p', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });
    });

    describe('system messages', () => {
      const changedId = { type: 'user_changed_user_id', previous_user_id: BSUID, user_id: BSUID2 };

      it('takes the sender from previous_user_id only when no sender is given', () => {
        expect(onlyMessage({ from: undefined, type: 'system', system: changedId }).fromUserId).toBe(BSUID);
        const named = onlyMessage({ from: undefined, from_user_id: BSUID2, type: 'system', system: changedId });
        expect(named.fromUserId).toBe(BSUID2);
        const withPhone = onlyMessage({ type: 'system', system: changedId });
        expect(withPhone.from).toBe(WA);
        expect(withPhone).not.toHaveProperty('fromUserId');
      });

      it('strips + from the new wa_id and keeps unknown system types', () => {
        const message = onlyMessage({
          type: 'system',
          system: { type: 'customer_identity_changed', wa_id: '+5511976543210' },
        });
        expect(message.content.system).toStrictEqual({ type: 'customer_identity_changed', newWaId: '5511976543210' });
      });

      it.each([
        [
          { from: undefined, type: 'system', system: { type: 'user_changed_user_id', user_id: BSUID2 } },
          'missing-sender',
        ],
        [{ type: 'system', system: {} }, 'system.type:missing'],
        [{ type: 'system', system: { type: 'user_changed_number', wa_id: 'x' } }, 'system.wa_id:bad-format'],
        [{ type: 'system', system: { type: 'user_changed_user_id', user_id: 'bad' } }, 'system.user_id:bad-format'],
        [
          { type: 'system', system: { type: 'user_changed_user_id', previous_user_id: 1 } },
          'system.previous_user_id:not-a-string',
        ],
      ])('skips %p', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });
    });

    describe('message errors and referrals', () => {
      it('keeps code and title of each error', () => {
        const message = onlyMessage({
          type: 'unsupported',
          errors: [{ code: 131051, title: 'Message type unknown', error_data: { details: 'not supported' } }],
        });
        expect(message.errors).toStrictEqual([{ code: 131051, title: 'Message type unknown' }]);
      });

      it.each([
        [{ errors: {} }, 'errors:not-an-array'],
        [{ errors: ['x'] }, 'errors[0]:not-an-object'],
        [{ errors: [{ title: 'a' }] }, 'errors[0].code:missing'],
        [{ errors: [{ code: '131051', title: 'a' }] }, 'errors[0].code:not-an-integer'],
        [{ errors: [{ code: 1.5, title: 'a' }] }, 'errors[0].code:not-an-integer'],
        [{ errors: [{ code: 1, title: 'a' }, { code: 2 }] }, 'errors[1].title:missing'],
        [{ errors: [{ code: 1, title: 'a', error_data: 'x' }] }, 'errors[0].error_data:not-an-object'],
        [{ referral: 'ad' }, 'referral:not-an-object'],
        [{ referral: { source_url: 5 } }, 'referral.source_url:not-a-string'],
        [{ referral: { body: 'a'.repeat(MAX_TEXT_CHARS + 1) } }, 'referral.body:too-long'],
      ])('skips %p', (patch, reason) => {
        expect(skipReason(patch)).toBe(reason);
      });
    });

    describe('profile names', () => {
      it('matches contacts by wa_id (with or without +) and by user_id, never by position', () => {
        const contacts = [
          { profile: { name: 'Other' }, wa_id: '5500000000000' },
          { profile: { name: NAME }, wa_id: `+${WA}` },
          { profile: { name: 'By BSUID' }, user_id: BSUID },
        ];
        expect(onlyMessage({}, { contacts }).profileName).toBe(NAME);
        expect(onlyMessage({ from: undefined, from_user_id: BSUID }, { contacts }).profileName).toBe('By BSUID');
        expect(onlyMessage({ from: '5599999999999' }, { contacts })).not.toHaveProperty('profileName');
      });

      it('falls back to the user_id match when the wa_id has no contact', () => {
        const contacts = [{ profile: { name: 'By BSUID' }, user_id: BSUID }];
        expect(onlyMessage({ from_user_id: BSUID }, { contacts }).profileName).toBe('By BSUID');
      });

      it.each([
        ['contacts not an array', { profile: { name: NAME }, wa_id: WA }],
        ['a contact that is not an object', ['x']],
        ['a name that is not a string', [{ profile: { name: 1 }, wa_id: WA }]],
        ['an empty name', [{ profile: { name: '' }, wa_id: WA }]],
        ['a name over the cap', [{ profile: { name: 'n'.repeat(MAX_LABEL_CHARS + 1) }, wa_id: WA }]],
        ['no profile', [{ wa_id: WA }]],
      ])('keeps the message without a name for %s', (_case, contacts) => {
        expect(onlyMessage({}, { contacts })).not.toHaveProperty('profileName');
      });
    });

    it('skips only the bad items of a batch', () => {
      const result = normalize({
        messages: [BASE, 42, { ...BASE, id: 'wamid.X2' }, null],
        statuses: [BASE_STATUS, 'x'],
      });
      expect(result.messages.map((message) => message.wamid)).toEqual(['wamid.X1', 'wamid.X2']);
      expect(result.statuses).toHaveLength(1);
      expect(result.skipped).toEqual([
        { path: 'changes[0].value.messages[1]', reason: 'not-an-object' },
        { path: 'changes[0].value.messages[3]', reason: 'not-an-object' },
        { path: 'changes[0].value.statuses[1]', reason: 'not-an-object' },
      ]);
    });
  });

  describe('statuses', () => {
    it('reads an individual status with an integer timestamp', () => {
      expect(oneStatus({ timestamp: T, recipient_id: `+${WA}`, recipient_type: 'individual' })).toStrictEqual(
        only({
          statuses: [status({ wamid: 'wamid.OUT1', status: 'delivered', at: new Date(T * 1000), recipientId: WA })],
        }),
      );
    });

    it('reads a BSUID-only recipient and a group without participant', () => {
      expect(oneStatus({ recipient_id: undefined, recipient_user_id: BSUID }).statuses[0]).toStrictEqual(
        status({ wamid: 'wamid.OUT1', status: 'delivered', at: new Date(T * 1000), recipientUserId: BSUID }),
      );
      expect(oneStatus({ recipient_type: 'group', recipient_id: 'GROUP-1' }).statuses[0].group).toStrictEqual({
        groupId: 'GROUP-1',
      });
    });

    it.each([
      [{ status: 'deleted' }, 'status:unknown-value'],
      [{ status: 'READ' }, 'status:unknown-value'],
      [{ status: 1 }, 'status:not-a-string'],
      [{ status: undefined }, 'status:missing'],
      [{ id: undefined }, 'id:missing'],
      [{ timestamp: '17672256OO' }, 'timestamp:bad-format'],
      [{ recipient_id: 5511987654321 }, 'recipient_id:not-a-string'],
      [{ recipient_id: 'GROUP-1' }, 'recipient_id:bad-format'],
      [{ recipient_type: 'broadcast' }, 'recipient_type:unknown-value'],
      [{ recipient_type: 'group', recipient_id: undefined }, 'recipient_id:missing'],
      [{ recipient_type: 'group', recipient_id: 'has space' }, 'recipient_id:bad-format'],
      [
        { recipient_type: 'group', recipient_id: 'G1', recipient_participant_id: 'x' },
        'recipient_participant_id:bad-format',
      ],
      [{ recipient_user_id: 'nope' }, 'recipient_user_id:bad-format'],
      [{ biz_opaque_callback_data: 'c'.repeat(MAX_ID_CHARS + 1) }, 'biz_opaque_callback_data:too-long'],
      [{ errors: [{ code: 131047 }] }, 'errors[0].title:missing'],
      [{ errors: [{ code: 1, title: 't', error_data: { details: 2 } }] }, 'errors[0].error_data.details:not-a-string'],
      [{ pricing: 'free' }, 'pricing:not-an-object'],
      [{ pricing: { billable: 'false' } }, 'pricing.billable:not-a-boolean'],
    ])('skips %p', (patch, reason) => {
      const result = oneStatus(patch);
      expect(result.statuses).toEqual([]);
      expect(result.skipped).toEqual([{ path: 'changes[0].value.statuses[0]', reason }]);
    });
  });

  describe('user preferences', () => {
    it('reads stop and resume by wa_id or user_id; a string timestamp is tolerated', () => {
      expect(onePreference({}).preferences).toStrictEqual([
        { waId: WA, category: 'marketing_messages', value: 'stop', at: new Date(T * 1000) },
      ]);
      expect(
        onePreference({ wa_id: undefined, user_id: BSUID, value: 'resume', timestamp: String(T) }).preferences,
      ).toStrictEqual([{ userId: BSUID, category: 'marketing_messages', value: 'resume', at: new Date(T * 1000) }]);
    });

    it.each([
      [{ value: 'STOP' }, 'value:unknown-value'],
      [{ value: true }, 'value:not-a-string'],
      [{ category: undefined }, 'category:missing'],
      [{ timestamp: undefined }, 'timestamp:missing'],
      [{ timestamp: 1.5 }, 'timestamp:bad-format'],
      [{ wa_id: undefined }, 'missing-user'],
      [{ wa_id: 5511987654321 }, 'wa_id:not-a-string'],
      [{ user_id: 'x' }, 'user_id:bad-format'],
    ])('skips %p', (patch, reason) => {
      const result = onePreference(patch);
      expect(result.preferences).toEqual([]);
      expect(result.skipped).toEqual([{ path: 'changes[0].value.user_preferences[0]', reason }]);
    });
  });

  describe('value.errors', () => {
    it('reads errors with and without details', () => {
      expect(normalize({ errors: [{ code: 4, title: 'Too many calls' }] }).errors).toStrictEqual([
        { code: 4, title: 'Too many calls' },
      ]);
    });

    it.each([
      [{ title: 'x' }, 'code:missing'],
      [{ code: 'x', title: 'x' }, 'code:not-an-integer'],
      [{ code: 1, title: '' }, 'title:empty'],
      [7, 'not-an-object'],
    ])('skips %p', (item, reason) => {
      expect(normalize({ errors: [item] })).toStrictEqual(
        only({ skipped: [{ path: 'changes[0].value.errors[0]', reason }] }),
      );
    });
  });

  describe('changes', () => {
    it('ignores fields other than messages and user_preferences, and items under the wrong field', () => {
      expect(normalize({ messages: [BASE] }, 'smb_message_echoes')).toStrictEqual(none);
      expect(normalize({ messages: [BASE] }, 'user_preferences')).toStrictEqual(none);
      expect(normalize({ user_preferences: [BASE_PREFERENCE] }, 'messages')).toStrictEqual(none);
    });

    it('skips a container that is not an array', () => {
      expect(normalize({ messages: {}, statuses: 'x', errors: 1 })).toStrictEqual(
        only({
          skipped: [
            { path: 'changes[0].value.messages', reason: 'not-an-array' },
            { path: 'changes[0].value.statuses', reason: 'not-an-array' },
            { path: 'changes[0].value.errors', reason: 'not-an-array' },
          ],
        }),
      );
      expect(normalize({ user_preferences: {} }, 'user_preferences').skipped).toEqual([
        { path: 'changes[0].value.user_preferences', reason: 'not-an-array' },
      ]);
    });

    it('skips malformed changes and numbers the others by position', () => {
      const changes = [
        null,
        { field: 1, value: {} },
        { field: 'messages', value: [] },
        { field: 'messages', value: { messages: [BASE] } },
      ];
      const result = normalizeChanges(changes as unknown as WebhookChange[]);
      expect(result.messages).toHaveLength(1);
      expect(result.skipped).toEqual([
        { path: 'changes[0]', reason: 'invalid-change' },
        { path: 'changes[1]', reason: 'invalid-change' },
        { path: 'changes[2]', reason: 'invalid-change' },
      ]);
    });

    it('deduplicates nothing', () => {
      const result = normalize({ messages: [BASE, BASE], statuses: [BASE_STATUS, BASE_STATUS] });
      expect(result.messages).toHaveLength(2);
      expect(result.statuses).toHaveLength(2);
    });
  });

  describe('properties', () => {
    const messageKeys = [
      'from',
      'from_user_id',
      'id',
      'timestamp',
      'type',
      'text',
      'context',
      'referral',
      'errors',
      'image',
      'interactive',
      'button',
      'location',
      'contacts',
      'order',
      'reaction',
      'system',
    ];
    const statusKeys = [
      'id',
      'status',
      'timestamp',
      'recipient_id',
      'recipient_type',
      'recipient_user_id',
      'errors',
      'pricing',
      'biz_opaque_callback_data',
    ];
    const looseItem = (keys: string[]) =>
      fc.oneof(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue(), { maxKeys: 8 }), fc.jsonValue());
    const looseChange = fc.record({
      field: fc.oneof(fc.constantFrom('messages', 'user_preferences', 'other'), fc.jsonValue()),
      value: fc.oneof(
        fc.record(
          {
            messages: fc.oneof(fc.array(looseItem(messageKeys), { maxLength: 4 }), fc.jsonValue()),
            statuses: fc.oneof(fc.array(looseItem(statusKeys), { maxLength: 4 }), fc.jsonValue()),
            user_preferences: fc.array(looseItem(['wa_id', 'user_id', 'category', 'value', 'timestamp']), {
              maxLength: 3,
            }),
            errors: fc.array(looseItem(['code', 'title', 'error_data']), { maxLength: 3 }),
            contacts: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
    });

    it('never throws, and reports paths and rules only (never a value)', () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(looseChange, fc.jsonValue()), { maxLength: 4 }), (changes) => {
          const result = normalizeChanges(changes as unknown as WebhookChange[]);
          for (const { path, reason } of result.skipped) {
            expect(path).toMatch(/^changes\[\d+\](\.value\.[a-z_]+(\[\d+\])?)?$/);
            expect(reason).toMatch(/^([a-z_]+(\[\d+\])?(\.[a-z_0-9]+(\[\d+\])?)*:)?[a-z-]+$/);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('keeps every message it returns within the caps and with a sender', () => {
      fc.assert(
        fc.property(fc.array(looseChange, { maxLength: 3 }), (changes) => {
          for (const message of normalizeChanges(changes as unknown as WebhookChange[]).messages) {
            expect(message.from !== undefined || message.fromUserId !== undefined).toBe(true);
            expect(message.wamid.length).toBeLessThanOrEqual(MAX_ID_CHARS);
            expect((message.content.text ?? '').length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
            expect(Number.isNaN(message.sentAt.getTime())).toBe(false);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
