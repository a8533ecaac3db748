import fc from 'fast-check';
import { InvalidOutboundMessageError } from './invalid-outbound-message.error';
import { checkOutboundMessage, isFreeForm, type OutboundMessage, toCloudApiBody } from './outbound-message.rules';

const WA = '5511987654321';
const BSUID = 'BR.1a2b3c4d5e6f7a8b9c0d';

function problemsOf(value: unknown): string[] {
  try {
    checkOutboundMessage(value);
  } catch (error) {
    if (error instanceof InvalidOutboundMessageError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected an InvalidOutboundMessageError');
}

function bodyProblems(...args: Parameters<typeof toCloudApiBody>): string[] {
  try {
    toCloudApiBody(...args);
  } catch (error) {
    if (error instanceof InvalidOutboundMessageError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected an InvalidOutboundMessageError');
}

const buttons = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `b${i}`, title: `Option ${i}` }));
const buttonsMessage = (patch: Record<string, unknown>) => ({
  type: 'buttons',
  body: 'Pick one',
  buttons: buttons(2),
  ...patch,
});
const template = (components: unknown[]) => ({
  type: 'template',
  name: 'appointment_reminder',
  language: 'pt_BR',
  components,
});
const bodyText = { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] };
const quickReply = (index: unknown = 0) => ({
  type: 'button',
  sub_type: 'quick_reply',
  index,
  parameters: [{ type: 'payload', payload: 'CONFIRM' }],
});

describe('checkOutboundMessage', () => {
  it.each([[null], [[]], ['text'], [1], [undefined]])('refuses a non-object %p', (value) => {
    expect(problemsOf(value)).toEqual(['message must be an object']);
  });

  it.each([[{}], [{ type: 'image' }], [{ type: 'TEXT', text: 'x' }], [{ type: 1 }]])(
    'refuses an unknown type %p',
    (value) => {
      expect(problemsOf(value)).toEqual(['type must be one of text, buttons, template, document']);
    },
  );

  it('refuses unknown fields, naming them only when they look like field names', () => {
    expect(problemsOf({ type: 'text', text: 'oi', to: WA })).toEqual(["message has unknown field 'to'"]);
    expect(problemsOf({ type: 'text', text: 'oi', [WA]: 1, 'Ana Souza': 2 })).toEqual([
      'message has an unknown field',
      'message has an unknown field',
    ]);
  });

  describe('text', () => {
    it.each([
      [1, true],
      [4096, true],
      [4097, false],
      [0, false],
    ])('a text of %i characters is accepted: %p', (length, ok) => {
      const value = { type: 'text', text: 'a'.repeat(length) };
      if (ok) {
        expect(checkOutboundMessage(value)).toStrictEqual(value);
      } else {
        expect(problemsOf(value)).toEqual(['text must be 1..4096 characters']);
      }
    });

    it('measures and sends the NFC form', () => {
      const decomposed = 'e\u0301'.repeat(4096); // 8192 code units, 4096 once composed
      expect(checkOutboundMessage({ type: 'text', text: decomposed })).toStrictEqual({
        type: 'text',
        text: '\u00e9'.repeat(4096),
      });
    });

    it('counts UTF-16 code units, so an emoji takes two of the 4096', () => {
      expect(checkOutboundMessage({ type: 'text', text: '👍'.repeat(2048) })).toMatchObject({ type: 'text' });
      expect(problemsOf({ type: 'text', text: '👍'.repeat(2049) })).toEqual(['text must be 1..4096 characters']);
    });

    it('keeps previewUrl when boolean and refuses anything else', () => {
      expect(checkOutboundMessage({ type: 'text', text: 'https://x.example', previewUrl: false })).toStrictEqual({
        type: 'text',
        text: 'https://x.example',
        previewUrl: false,
      });
      expect(problemsOf({ type: 'text', text: 'x', previewUrl: 'yes' })).toEqual(['previewUrl must be a boolean']);
      expect(problemsOf({ type: 'text' })).toEqual(['text is required']);
      expect(problemsOf({ type: 'text', text: 42 })).toEqual(['text must be a string']);
    });
  });

  describe('buttons', () => {
    it('accepts 1..3 buttons with optional header and footer at their limits', () => {
      const value = buttonsMessage({
        header: 'h'.repeat(60),
        footer: 'f'.repeat(60),
        body: 'b'.repeat(1024),
        buttons: buttons(3),
      });
      expect(checkOutboundMessage(value)).toStrictEqual(value);
      expect(checkOutboundMessage(buttonsMessage({ buttons: buttons(1) }))).toStrictEqual(
        buttonsMessage({ buttons: buttons(1) }),
      );
    });

    it.each([
      [{ buttons: [] }, ['buttons must have 1..3 items']],
      [{ buttons: buttons(4) }, ['buttons must have 1..3 items']],
      [{ buttons: undefined }, ['buttons is required']],
      [{ buttons: {} }, ['buttons must be an array']],
      [{ body: undefined }, ['body is required']],
      [{ body: '' }, ['body must be 1..1024 characters']],
      [{ body: 'b'.repeat(1025) }, ['body must be 1..1024 characters']],
      [{ footer: 'f'.repeat(61) }, ['footer must be 1..60 characters']],
      [{ footer: '' }, ['footer must be 1..60 characters']],
      [{ header: 'h'.repeat(61) }, ['header must be 1..60 characters']],
      [{ header: { type: 'image' } }, ['header must be a string']],
      [{ buttons: ['x'] }, ['buttons[0] must be an object']],
      [{ buttons: [{ id: 'a', title: 't'.repeat(21) }] }, ['buttons[0].title must be 1..20 characters']],
      [{ buttons: [{ id: 'a', title: '' }] }, ['buttons[0].title must be 1..20 characters']],
      [{ buttons: [{ id: 'i'.repeat(257), title: 'ok' }] }, ['buttons[0].id must be 1..256 characters']],
      [{ buttons: [{ id: '', title: 'ok' }] }, ['buttons[0].id must be 1..256 characters']],
      [{ buttons: [{ title: 'ok' }] }, ['buttons[0].id is required']],
      [{ buttons: [{ id: 'a', title: 'ok', payload: 'x' }] }, ["buttons[0] has unknown field 'payload'"]],
      [
        {
          buttons: [
            { id: 'a', title: 'Sim' },
            { id: 'b', title: 'Sim' },
          ],
        },
        ['buttons[1].title must be unique'],
      ],
      [
        {
          buttons: [
            { id: 'a', title: 'Sim' },
            { id: 'a', title: 'Não' },
          ],
        },
        ['buttons[1].id must be unique'],
      ],
    ])('refuses %j', (patch, problems) => {
      expect(problemsOf(buttonsMessage(patch))).toEqual(problems);
    });

    it('accepts a title of exactly 20 characters and a 256-character id', () => {
      const value = buttonsMessage({ buttons: [{ id: 'i'.repeat(256), title: 't'.repeat(20) }] });
      expect(checkOutboundMessage(value)).toStrictEqual(value);
    });

    it('compares titles for uniqueness in NFC form', () => {
      const value = buttonsMessage({
        buttons: [
          { id: 'a', title: 'Não' },
          { id: 'b', title: 'Na\u0303o' },
        ],
      });
      expect(problemsOf(value)).toEqual(['buttons[1].title must be unique']);
    });
  });

  describe('template', () => {
    it('accepts the reference sample and normalizes a numeric button index to a string', () => {
      const checked = checkOutboundMessage(template([bodyText, quickReply(0)]));
      expect(checked).toStrictEqual({
        type: 'template',
        name: 'appointment_reminder',
        language: 'pt_BR',
        components: [bodyText, { ...quickReply(0), index: '0' }],
      });
    });

    it('accepts a template without components', () => {
      expect(checkOutboundMessage({ type: 'template', name: 'hello_world', language: 'en' })).toStrictEqual({
        type: 'template',
        name: 'hello_world',
        language: 'en',
      });
    });

    it.each([['en'], ['pt_BR'], ['es_MX'], ['fil'], ['zh_HK']])('accepts the language %s', (language) => {
      expect(checkOutboundMessage({ type: 'template', name: 'a', language })).toMatchObject({ language });
    });

    it.each([['pt-BR'], ['PT_br'], ['english'], ['pt_BRA'], [''], ['e']])('refuses the language %p', (language) => {
      expect(problemsOf({ type: 'template', name: 'a', language })).toEqual([
        expect.stringMatching(/^language must (match|be 1\.\.6 characters)/),
      ]);
    });

    it.each([['Appointment'], ['appointment-reminder'], ['a b'], ['n'.repeat(513)], ['']])(
      'refuses the name %p',
      (name) => {
        expect(problemsOf({ type: 'template', name, language: 'en' })).toEqual([
          expect.stringMatching(/^name must (match|be 1\.\.512 characters)/),
        ]);
      },
    );

    it('accepts a 512-character name', () => {
      expect(checkOutboundMessage({ type: 'template', name: 'n'.repeat(512), language: 'en' })).toMatchObject({
        name: 'n'.repeat(512),
      });
    });

    it('accepts every parameter type where Meta allows it', () => {
      const components = [
        {
          type: 'header',
          parameters: [{ type: 'document', document: { link: 'https://x.example/a.pdf', filename: 'a.pdf' } }],
        },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ana', parameter_name: 'customer_name' },
            { type: 'currency', currency: { fallback_value: 'R$ 10,00', code: 'BRL', amount_1000: 10000 } },
            { type: 'date_time', date_time: { fallback_value: '2 de janeiro' } },
          ],
        },
        { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'abc123' }] },
        {
          type: 'button',
          sub_type: 'copy_code',
          index: '2',
          parameters: [{ type: 'coupon_code', coupon_code: 'OFF10' }],
        },
        { type: 'button', sub_type: 'flow', index: '3', parameters: [{ type: 'action', action: { flow_token: 't' } }] },
      ];
      expect(checkOutboundMessage(template(components))).toStrictEqual(template(components));
      for (const header of [
        { type: 'image', image: { id: '1479530000000001' } },
        { type: 'video', video: { link: 'http://x.example/v.mp4' } },
        { type: 'location', location: { latitude: -23.5, longitude: -46.6, name: 'Clínica' } },
        { type: 'text', text: 'Lembrete' },
      ]) {
        expect(checkOutboundMessage(template([{ type: 'header', parameters: [header] }]))).toStrictEqual(
          template([{ type: 'header', parameters: [header] }]),
        );
      }
    });

    it.each([
      [[], ['components must have 1..12 items']],
      [['x'], ['components[0] must be an object']],
      [[{ type: 'footer' }], ['components[0].type must be header, body or button']],
      [[{ type: 'body' }], ['components[0].parameters is required']],
      [[{ type: 'body', parameters: [] }], ['components[0].parameters must have 1..100 items']],
      [[bodyText, bodyText], ['components[1] must be the only body component']],
      [
        [{ type: 'body', parameters: [{ type: 'image', image: { id: '1' } }] }],
        ['components[0].parameters[0].type is not allowed in this component'],
      ],
      [
        [
          {
            type: 'header',
            parameters: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
        ['components[0].parameters must have 1 item for a header'],
      ],
      [
        [{ type: 'body', parameters: [{ type: 'sticker' }] }],
        ['components[0].parameters[0].type must be a known parameter type'],
      ],
      [
        [{ type: 'body', parameters: [{ type: 'text', text: 't'.repeat(1025) }] }],
        ['components[0].parameters[0].text must be 1..1024 characters'],
      ],
      [
        [{ type: 'body', parameters: [{ type: 'text', text: 'a', extra: 1 }] }],
        ["components[0].parameters[0] has unknown field 'extra'"],
      ],
      [
        [{ type: 'body', parameters: [{ type: 'text', text: 'a', parameter_name: 'Bad-Name' }] }],
        [expect.stringMatching(/^components\[0\]\.parameters\[0\]\.parameter_name must match/)],
      ],
      [
        [
          {
            type: 'body',
            parameters: [{ type: 'currency', currency: { fallback_value: 'x', code: 'brl', amount_1000: 1.5 } }],
          },
        ],
        [
          expect.stringMatching(/^components\[0\]\.parameters\[0\]\.currency\.code must match/),
          'components[0].parameters[0].currency.amount_1000 must be an integer',
        ],
      ],
      [
        [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.example/a.png', id: '1' } }] }],
        ['components[0].parameters[0].image must have exactly one of link or id'],
      ],
      [
        [{ type: 'header', parameters: [{ type: 'image', image: { link: 'ftp://x.example/a.png' } }] }],
        ['components[0].parameters[0].image.link must be an http(s) URL'],
      ],
      [
        [{ type: 'header', parameters: [{ type: 'location', location: { latitude: 91, longitude: 0 } }] }],
        ['components[0].parameters[0].location.latitude must be a number in -90..90'],
      ],
      [
        [{ type: 'button', index: 0, parameters: [{ type: 'payload', payload: 'X' }] }],
        ['components[0].sub_type is required for button components'],
      ],
      [[{ ...quickReply(), sub_type: 'call' }], ['components[0].sub_type must be a known button sub_type']],
      [[{ ...quickReply(), index: undefined }], ['components[0].index is required for button components']],
      [[quickReply(10)], ['components[0].index must be 0..9']],
      [[quickReply('10')], ['components[0].index must be 0..9']],
      [[quickReply(-1)], ['components[0].index must be 0..9']],
      [[quickReply(1.5)], ['components[0].index must be 0..9']],
      [[quickReply(0), quickReply('0')], ['components[1].index must be unique']],
      [
        [{ type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'payload', payload: 'X' }] }],
        ['components[0].parameters[0].type is not allowed in this component'],
      ],
    ])('refuses components %j', (components, problems) => {
      expect(problemsOf(template(components))).toEqual(problems);
    });
  });

  describe('document', () => {
    it.each([
      [{ type: 'document', link: 'https://x.example/a.pdf' }],
      [{ type: 'document', link: 'http://x.example/a.pdf', filename: 'f'.repeat(240), caption: 'c'.repeat(1024) }],
      [{ type: 'document', mediaId: '1479530000000004' }],
    ])('accepts %j', (value) => {
      expect(checkOutboundMessage(value)).toStrictEqual(value);
    });

    it.each([
      [{}, ['document must have exactly one of link or mediaId']],
      [{ link: 'https://x.example/a.pdf', mediaId: '1' }, ['document must have exactly one of link or mediaId']],
      [{ link: 'ftp://x.example/a.pdf' }, ['link must be an http(s) URL']],
      [{ link: 'not a url' }, ['link must be an http(s) URL']],
      [{ link: `https://x.example/${'a'.repeat(2048)}` }, ['link must be 1..2048 characters']],
      [{ mediaId: '14 79' }, [expect.stringMatching(/^mediaId must match/)]],
      [{ mediaId: 1479 }, ['mediaId must be a string']],
      [{ mediaId: '1', filename: 'f'.repeat(241) }, ['filename must be 1..240 characters']],
      [{ mediaId: '1', caption: 'c'.repeat(1025) }, ['caption must be 1..1024 characters']],
      [{ mediaId: '1', caption: '' }, ['caption must be 1..1024 characters']],
    ])('refuses %j', (patch, problems) => {
      expect(problemsOf({ type: 'document', ...patch })).toEqual(problems);
    });
  });

  describe('properties', () => {
    const secret = fc.string({ maxLength: 30 }).map((text) => `SECRET-${text}`);
    const anyValue = fc.oneof(
      secret,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(secret, { maxLength: 4 }),
    );
    const messageLike = fc.record(
      {
        type: fc.oneof(fc.constantFrom('text', 'buttons', 'template', 'document'), secret),
        text: anyValue,
        body: anyValue,
        header: anyValue,
        footer: anyValue,
        buttons: fc.array(fc.record({ id: anyValue, title: anyValue }, { requiredKeys: [] }), { maxLength: 5 }),
        name: anyValue,
        language: anyValue,
        components: fc.array(
          fc.record(
            {
              type: anyValue,
              sub_type: anyValue,
              index: anyValue,
              parameters: fc.array(fc.dictionary(secret, anyValue), { maxLength: 2 }),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        link: anyValue,
        mediaId: anyValue,
        filename: anyValue,
        caption: anyValue,
        previewUrl: anyValue,
      },
      { requiredKeys: ['type'] },
    );

    it('never puts a value in its problems, and only throws InvalidOutboundMessageError', () => {
      fc.assert(
        fc.property(fc.oneof(messageLike, fc.dictionary(secret, anyValue)), (value) => {
          try {
            checkOutboundMessage(value);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidOutboundMessageError);
            expect((error as Error).message).not.toContain('SECRET-');
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('is idempotent and every accepted message builds a send body', () => {
      fc.assert(
        fc.property(messageLike, (value) => {
          let checked: OutboundMessage;
          try {
            checked = checkOutboundMessage(value);
          } catch {
            return;
          }
          expect(checkOutboundMessage(checked)).toStrictEqual(checked);
          expect(toCloudApiBody(checked, { waId: WA })).toMatchObject({ to: `+${WA}`, messaging_product: 'whatsapp' });
        }),
        { numRuns: 1000 },
      );
    });
  });
});

describe('isFreeForm', () => {
  it('is true for everything but templates', () => {
    expect(isFreeForm({ type: 'text', text: 'x' })).toBe(true);
    expect(isFreeForm({ type: 'buttons', body: 'x', buttons: buttons(1) })).toBe(true);
    expect(isFreeForm({ type: 'document', mediaId: '1' })).toBe(true);
    expect(isFreeForm({ type: 'template', name: 'a', language: 'en' })).toBe(false);
  });
});

describe('toCloudApiBody', () => {
  it('builds the reference text body', () => {
    const message = checkOutboundMessage({
      type: 'text',
      text: 'Oi Ana! Seu horário está confirmado para amanhã às 9h.',
      previewUrl: false,
    });
    expect(toCloudApiBody(message, { waId: WA })).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+5511987654321',
      type: 'text',
      text: { preview_url: false, body: 'Oi Ana! Seu horário está confirmado para amanhã às 9h.' },
    });
  });

  it('builds the reference reply-buttons body, with a text header when given', () => {
    const message = checkOutboundMessage({
      type: 'buttons',
      body: 'Quer confirmar ou remarcar seu horário de amanhã às 9h?',
      footer: 'Clínica Exemplo',
      buttons: [
        { id: 'confirm', title: 'Confirmar' },
        { id: 'reschedule', title: 'Remarcar' },
        { id: 'talk-to-human', title: 'Falar com atendente' },
      ],
    });
    expect(toCloudApiBody(message, { waId: WA })).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+5511987654321',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Quer confirmar ou remarcar seu horário de amanhã às 9h?' },
        footer: { text: 'Clínica Exemplo' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'confirm', title: 'Confirmar' } },
            { type: 'reply', reply: { id: 'reschedule', title: 'Remarcar' } },
            { type: 'reply', reply: { id: 'talk-to-human', title: 'Falar com atendente' } },
          ],
        },
      },
    });
    const withHeader = checkOutboundMessage({ type: 'buttons', header: 'Lembrete', body: 'b', buttons: buttons(1) });
    expect(toCloudApiBody(withHeader, { waId: WA }).interactive).toStrictEqual({
      type: 'button',
      header: { type: 'text', text: 'Lembrete' },
      body: { text: 'b' },
      action: { buttons: [{ type: 'reply', reply: { id: 'b0', title: 'Option 0' } }] },
    });
  });

  it('builds the reference template body', () => {
    const message = checkOutboundMessage(
      template([
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ana' },
            { type: 'text', text: 'amanhã às 9h' },
          ],
        },
        quickReply('0'),
      ]),
    );
    expect(toCloudApiBody(message, { waId: WA })).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+5511987654321',
      type: 'template',
      template: {
        name: 'appointment_reminder',
        language: { code: 'pt_BR' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: 'amanhã às 9h' },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'CONFIRM' }],
          },
        ],
      },
    });
  });

  it('builds document bodies by link or by media id', () => {
    expect(
      toCloudApiBody({ type: 'document', link: 'https://x.example/a.pdf', filename: 'a.pdf' }, { waId: WA }).document,
    ).toStrictEqual({
      link: 'https://x.example/a.pdf',
      filename: 'a.pdf',
    });
    expect(
      toCloudApiBody({ type: 'document', mediaId: '1479', caption: 'Segue' }, { waId: WA }).document,
    ).toStrictEqual({
      id: '1479',
      caption: 'Segue',
    });
  });

  it('addresses by phone when known (one +), else by BSUID', () => {
    const text: OutboundMessage = { type: 'text', text: 'oi' };
    expect(toCloudApiBody(text, { waId: `+${WA}` }).to).toBe(`+${WA}`);
    const both = toCloudApiBody(text, { waId: WA, userId: BSUID });
    expect(both.to).toBe(`+${WA}`);
    expect(both).not.toHaveProperty('recipient');
    const byUserId = toCloudApiBody(text, { userId: BSUID });
    expect(byUserId).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      recipient: BSUID,
      type: 'text',
      text: { body: 'oi' },
    });
  });

  it('adds the reply context and the callback data', () => {
    const body = toCloudApiBody(
      { type: 'text', text: 'oi' },
      { waId: WA },
      { replyTo: 'wamid.TEST0001', callbackData: 'outbound-7' },
    );
    expect(body.context).toStrictEqual({ message_id: 'wamid.TEST0001' });
    expect(body.biz_opaque_callback_data).toBe('outbound-7');
    expect(
      toCloudApiBody({ type: 'text', text: 'oi' }, { waId: WA }, { callbackData: 'c'.repeat(512) }),
    ).toHaveProperty('biz_opaque_callback_data');
  });

  it.each([
    [{}, {}, ['recipient needs a waId or a userId']],
    [{ waId: '55 11 98765-4321' }, {}, ['recipient.waId must be 1..20 digits']],
    [{ waId: '' }, {}, ['recipient.waId must be 1..20 digits']],
    [{ userId: 'not-a-bsuid' }, {}, [expect.stringMatching(/^recipient\.userId must match/)]],
    [{ waId: WA }, { replyTo: '' }, ['replyTo must be 1..512 characters']],
    [{ waId: WA }, { callbackData: 'c'.repeat(513) }, ['callbackData must be 1..512 characters']],
  ])('refuses recipient %j with options %j', (recipient, options, problems) => {
    expect(bodyProblems({ type: 'text', text: 'oi' }, recipient, options)).toEqual(problems);
  });

  it('never puts the recipient in the error', () => {
    const problems = bodyProblems({ type: 'text', text: 'oi' }, { waId: '5511-98765-4321' });
    expect(problems.join(' ')).not.toContain('98765');
  });
});
