import fc from 'fast-check';
import { LIMITS, templateCategory, validateSendBody, type SendValidation } from './send-request.rules';

const uploaded = new Set(['1234567890123456']);
const knownMedia = (id: string): boolean => uploaded.has(id);

function validate(body: unknown): SendValidation {
  return validateSendBody(body, knownMedia);
}

function violation(body: unknown): { code: number; details: string } {
  const result = validate(body);
  if (result.ok) {
    throw new Error('expected a violation');
  }
  return result.violation;
}

function base(extra: Record<string, unknown>): Record<string, unknown> {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+5511987654321', ...extra };
}

function text(body: string): Record<string, unknown> {
  return base({ type: 'text', text: { body } });
}

function buttons(...titles: string[]): Record<string, unknown> {
  return base({
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: 'Choose' },
      action: { buttons: titles.map((title, index) => ({ type: 'reply', reply: { id: `b${index}`, title } })) },
    },
  });
}

function withInteractive(patch: Record<string, unknown>): Record<string, unknown> {
  const body = buttons('Yes');
  return { ...body, interactive: { ...(body.interactive as Record<string, unknown>), ...patch } };
}

function list(rows: number, sections = 1, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return base({
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: 'Pick one' },
      action: {
        button: 'Options',
        sections: Array.from({ length: sections }, (_, s) => ({
          title: `Section ${s}`,
          rows: Array.from({ length: rows }, (_, r) => ({ id: `s${s}r${r}`, title: `Row ${r}` })),
        })),
        ...patch,
      },
    },
  });
}

const x = (n: number): string => 'x'.repeat(n);

describe('validateSendBody', () => {
  describe('envelope', () => {
    it('accepts a documented text message and reports the recipient as given and as digits', () => {
      const result = validate(text('Oi Ana!'));
      expect(result).toEqual({
        ok: true,
        request: {
          kind: 'message',
          type: 'text',
          recipient: { input: '+5511987654321', waId: '5511987654321' },
          category: 'service',
        },
      });
    });

    it.each([null, 'text', 42, [], true])('rejects a body that is not a JSON object (%p) with code 100', (body) => {
      expect(violation(body).code).toBe(100);
    });

    it('requires messaging_product whatsapp (code 100)', () => {
      const { messaging_product: _, ...rest } = text('hi');
      expect(violation(rest)).toEqual({ code: 100, details: 'messaging_product is required' });
      expect(violation({ ...rest, messaging_product: 'sms' })).toEqual({
        code: 100,
        details: 'messaging_product must be whatsapp',
      });
    });

    it('accepts recipient_type individual or absent, nothing else', () => {
      const { recipient_type: _, ...rest } = text('hi');
      expect(validate(rest).ok).toBe(true);
      expect(violation({ ...rest, recipient_type: 'group' }).code).toBe(131009);
    });

    it('requires exactly one of to or recipient', () => {
      const { to: _, ...noTo } = text('hi');
      expect(violation(noTo)).toEqual({ code: 131008, details: 'to (or recipient) is required' });
      expect(violation({ ...text('hi'), recipient: 'BR.12345678901234567890' }).code).toBe(131009);
    });

    it.each(['+55 (11) 98765-4321', '5511987654321', '1234567', '123456789012345'])(
      'accepts the phone number %s',
      (to) => {
        const result = validate({ ...text('hi'), to });
        expect(result.ok && result.request.kind === 'message' && result.request.recipient).toEqual({
          input: to,
          waId: to.replace(/\D/g, ''),
        });
      },
    );

    it.each(['123456', '1234567890123456', '55119876x4321', '', 5511987654321])('rejects the phone number %p', (to) => {
      const found = violation({ ...text('hi'), to });
      expect(found.code).toBe(131009);
      expect(found.details).toContain('to must be');
    });

    it('accepts a BSUID recipient in place of to', () => {
      const { to: _, ...rest } = text('hi');
      const result = validate({ ...rest, recipient: 'US.13491208655302741918' });
      expect(result.ok && result.request.kind === 'message' && result.request.recipient).toEqual({
        input: 'US.13491208655302741918',
        userId: 'US.13491208655302741918',
      });
    });

    it.each(['13491208655302741918', 'us.123', 'USA.123', `US.${x(129)}`, 'US.12-34'])(
      'rejects the recipient %s',
      (recipient) => {
        const { to: _, ...rest } = text('hi');
        expect(violation({ ...rest, recipient }).code).toBe(131009);
      },
    );

    it('defaults type to text, as Meta does, and rejects unsupported types with code 100', () => {
      const { type: _, ...rest } = text('hi');
      expect(validate(rest).ok).toBe(true);
      expect(violation({ ...text('hi'), type: 'sticker' }).code).toBe(100);
      expect(violation({ ...text('hi'), type: 7 }).code).toBe(100);
    });

    it('checks context.message_id when context is given', () => {
      expect(validate({ ...text('hi'), context: { message_id: 'wamid.X' } }).ok).toBe(true);
      expect(violation({ ...text('hi'), context: {} }).code).toBe(131008);
      expect(violation({ ...text('hi'), context: 'wamid.X' }).code).toBe(131009);
      expect(violation({ ...text('hi'), context: { message_id: '' } }).code).toBe(131009);
    });

    it('caps biz_opaque_callback_data at 512 characters and echoes it in the request', () => {
      const result = validate({ ...text('hi'), biz_opaque_callback_data: x(LIMITS.callbackData) });
      expect(result.ok && result.request.kind === 'message' && result.request.callbackData).toBe(x(512));
      expect(violation({ ...text('hi'), biz_opaque_callback_data: x(513) })).toEqual({
        code: 131009,
        details: 'biz_opaque_callback_data must be at most 512 characters',
      });
      expect(violation({ ...text('hi'), biz_opaque_callback_data: 5 }).code).toBe(131009);
    });
  });

  describe('text', () => {
    it('accepts 1 and 4096 characters, rejects 0 and 4097', () => {
      expect(validate(text(x(1))).ok).toBe(true);
      expect(validate(text(x(4096))).ok).toBe(true);
      expect(violation(text(''))).toEqual({ code: 131009, details: 'text.body must be 1 to 4096 characters' });
      expect(violation(text(x(4097))).code).toBe(131009);
    });

    it('counts characters, not UTF-16 units: 4096 emoji fit', () => {
      expect(validate(text('😀'.repeat(4096))).ok).toBe(true);
      expect(validate(text('😀'.repeat(4097))).ok).toBe(false);
    });

    it('requires the text object and its body', () => {
      expect(violation(base({ type: 'text' }))).toEqual({ code: 131008, details: 'text is required' });
      expect(violation(base({ type: 'text', text: {} }))).toEqual({ code: 131008, details: 'text.body is required' });
      expect(violation(base({ type: 'text', text: 'hi' })).code).toBe(131009);
      expect(violation(base({ type: 'text', text: { body: 3 } })).code).toBe(131009);
    });

    it('takes preview_url only as a boolean', () => {
      expect(validate(base({ type: 'text', text: { body: 'hi', preview_url: true } })).ok).toBe(true);
      expect(violation(base({ type: 'text', text: { body: 'hi', preview_url: 'yes' } })).code).toBe(131009);
    });

    it('never echoes the value in the details', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 4097, maxLength: 4200 }), (body) => {
          const result = validate(text(`SECRET${body}`));
          return !result.ok && !result.violation.details.includes('SECRET');
        }),
        { numRuns: 20 },
      );
    });
  });

  describe('interactive reply buttons', () => {
    it('accepts 1 to 3 buttons, rejects 0 and 4', () => {
      expect(validate(buttons('A')).ok).toBe(true);
      expect(validate(buttons('A', 'B', 'C')).ok).toBe(true);
      expect(violation(buttons()).code).toBe(131009);
      expect(violation(buttons('A', 'B', 'C', 'D'))).toEqual({
        code: 131009,
        details: 'interactive.action.buttons must hold 1 to 3 buttons',
      });
    });

    it('caps titles at 20 characters and requires them non-empty and unique', () => {
      expect(validate(buttons(x(20))).ok).toBe(true);
      expect(violation(buttons(x(21)))).toEqual({
        code: 131009,
        details: 'interactive.action.buttons[0].reply.title must be 1 to 20 characters',
      });
      expect(violation(buttons('')).code).toBe(131009);
      expect(violation(buttons('Same', 'Same'))).toEqual({
        code: 131009,
        details: 'interactive.action.buttons[1].reply.title must be unique among the buttons',
      });
    });

    it('caps reply ids at 256 characters', () => {
      const reply = (id: string) =>
        withInteractive({ action: { buttons: [{ type: 'reply', reply: { id, title: 'Ok' } }] } });
      expect(validate(reply(x(256))).ok).toBe(true);
      expect(violation(reply(x(257))).code).toBe(131009);
      expect(violation(withInteractive({ action: { buttons: [{ type: 'reply', reply: { title: 'Ok' } }] } }))).toEqual({
        code: 131008,
        details: 'interactive.action.buttons[0].reply.id is required',
      });
    });

    it('requires each button to be of type reply', () => {
      expect(
        violation(withInteractive({ action: { buttons: [{ type: 'url', reply: { id: 'a', title: 'A' } }] } })).code,
      ).toBe(131009);
      expect(violation(withInteractive({ action: { buttons: [{ reply: { id: 'a', title: 'A' } }] } })).code).toBe(
        131008,
      );
      expect(violation(withInteractive({ action: { buttons: ['A'] } })).code).toBe(131009);
    });

    it('caps body.text at 1024 and footer.text at 60 characters', () => {
      expect(validate(withInteractive({ body: { text: x(1024) } })).ok).toBe(true);
      expect(violation(withInteractive({ body: { text: x(1025) } })).details).toBe(
        'interactive.body.text must be 1 to 1024 characters',
      );
      expect(violation(withInteractive({ body: undefined })).code).toBe(131008);
      expect(validate(withInteractive({ footer: { text: x(60) } })).ok).toBe(true);
      expect(violation(withInteractive({ footer: { text: x(61) } })).details).toBe(
        'interactive.footer.text must be 1 to 60 characters',
      );
    });

    it('checks the optional header', () => {
      expect(validate(withInteractive({ header: { type: 'text', text: x(60) } })).ok).toBe(true);
      expect(violation(withInteractive({ header: { type: 'text', text: x(61) } })).code).toBe(131009);
      expect(validate(withInteractive({ header: { type: 'image', image: { link: 'https://x.test/a.png' } } })).ok).toBe(
        true,
      );
      expect(violation(withInteractive({ header: { type: 'image' } })).code).toBe(131008);
      expect(violation(withInteractive({ header: { type: 'audio' } })).code).toBe(131009);
      expect(violation(withInteractive({ header: {} })).code).toBe(131008);
    });

    it('requires the action and its buttons', () => {
      expect(violation(withInteractive({ action: undefined }))).toEqual({
        code: 131008,
        details: 'interactive.action is required',
      });
      expect(violation(withInteractive({ action: {} })).code).toBe(131008);
    });

    it('requires interactive.type button or list', () => {
      expect(violation(withInteractive({ type: undefined })).code).toBe(131008);
      expect(violation(withInteractive({ type: 'cta_url' })).code).toBe(131009);
      expect(violation(base({ type: 'interactive' }))).toEqual({ code: 131008, details: 'interactive is required' });
    });
  });

  describe('interactive list', () => {
    it('accepts up to 10 rows in all and 10 sections', () => {
      expect(validate(list(10)).ok).toBe(true);
      expect(validate(list(1, 10)).ok).toBe(true);
      expect(violation(list(11)).details).toBe('interactive.action.sections must hold at most 10 rows in all');
      expect(violation(list(1, 11)).code).toBe(131009);
      expect(violation(list(0)).code).toBe(131009);
    });

    it('caps the button label at 20 and row titles at 24 characters', () => {
      expect(validate(list(1, 1, { button: x(20) })).ok).toBe(true);
      expect(violation(list(1, 1, { button: x(21) })).code).toBe(131009);
      const row = (title: string, description?: string) =>
        list(1, 1, { sections: [{ rows: [{ id: 'r', title, ...(description ? { description } : {}) }] }] });
      expect(validate(row(x(24), x(72))).ok).toBe(true);
      expect(violation(row(x(25))).code).toBe(131009);
      expect(violation(row('ok', x(73))).code).toBe(131009);
    });

    it('requires section titles when there are several sections, and unique row ids', () => {
      expect(
        violation(
          list(1, 2, {
            sections: [{ rows: [{ id: 'a', title: 'A' }] }, { title: 'T', rows: [{ id: 'b', title: 'B' }] }],
          }),
        ).code,
      ).toBe(131008);
      expect(
        violation(
          list(1, 1, {
            sections: [
              {
                rows: [
                  { id: 'a', title: 'A' },
                  { id: 'a', title: 'B' },
                ],
              },
            ],
          }),
        ).details,
      ).toContain('must be unique');
    });
  });

  describe('template', () => {
    const template = (patch: Record<string, unknown>) =>
      base({ type: 'template', template: { name: 'appointment_reminder', language: { code: 'pt_BR' }, ...patch } });

    it('accepts name, language and components, billed by category', () => {
      const result = validate(
        template({ components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] }),
      );
      expect(result).toEqual({
        ok: true,
        request: expect.objectContaining({
          type: 'template',
          templateName: 'appointment_reminder',
          category: 'utility',
        }),
      });
    });

    it('requires the name and the language code', () => {
      expect(violation(template({ name: undefined }))).toEqual({ code: 131008, details: 'template.name is required' });
      expect(violation(template({ language: undefined })).code).toBe(131008);
      expect(violation(template({ language: {} }))).toEqual({
        code: 131008,
        details: 'template.language.code is required',
      });
      expect(violation(template({ name: x(513) })).code).toBe(131009);
    });

    it('takes components only as an array of typed objects', () => {
      expect(violation(template({ components: {} })).code).toBe(131009);
      expect(violation(template({ components: [{ parameters: [] }] })).code).toBe(131009);
    });
  });

  describe.each(['document', 'image'] as const)('%s', (type) => {
    const media = (content: Record<string, unknown>) => base({ type, [type]: content });

    it('accepts an http(s) link or an uploaded media id', () => {
      expect(validate(media({ link: 'https://files.test/a.pdf', filename: 'a.pdf' })).ok).toBe(true);
      expect(validate(media({ link: 'http://files.test/a.pdf' })).ok).toBe(true);
      expect(validate(media({ id: '1234567890123456' })).ok).toBe(true);
    });

    it('requires exactly one of link or id', () => {
      expect(violation(media({})).code).toBe(131008);
      expect(violation(media({ link: 'https://files.test/a', id: '1234567890123456' })).code).toBe(131009);
    });

    it.each(['ftp://files.test/a.pdf', 'not a url', 42])('rejects the link %p', (link) => {
      expect(violation(media({ link })).details).toBe(`${type}.link must be an http or https URL`);
    });

    it('rejects a media id that was not uploaded', () => {
      expect(violation(media({ id: '999' })).code).toBe(131009);
    });

    it('caps the caption at 1024 characters', () => {
      expect(validate(media({ id: '1234567890123456', caption: x(1024) })).ok).toBe(true);
      expect(violation(media({ id: '1234567890123456', caption: x(1025) })).code).toBe(131009);
    });

    it('takes the file name only as a string', () => {
      expect(violation(media({ id: '1234567890123456', filename: 3 })).code).toBe(131009);
    });
  });

  describe('mark as read', () => {
    it('accepts status read with a message id and an optional typing indicator', () => {
      expect(validate({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' })).toEqual({
        ok: true,
        request: { kind: 'read', messageId: 'wamid.X' },
      });
      expect(
        validate({
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: 'wamid.X',
          typing_indicator: { type: 'text' },
        }).ok,
      ).toBe(true);
    });

    it('rejects other statuses, a missing message id and other indicators', () => {
      expect(violation({ messaging_product: 'whatsapp', status: 'delivered', message_id: 'wamid.X' }).code).toBe(
        131009,
      );
      expect(violation({ messaging_product: 'whatsapp', status: 'read' }).code).toBe(131008);
      expect(
        violation({
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: 'w',
          typing_indicator: { type: 'audio' },
        }).code,
      ).toBe(131009);
    });
  });
});

describe('templateCategory', () => {
  it.each([
    ['summer_promo', 'marketing'],
    ['Marketing_news', 'marketing'],
    ['special_offer', 'marketing'],
    ['appointment_reminder', 'utility'],
    ['consent_request', 'utility'],
  ])('%s is billed as %s', (name, category) => {
    expect(templateCategory(name)).toBe(category);
  });
});
