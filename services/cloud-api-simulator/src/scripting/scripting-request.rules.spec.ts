import { deriveBsuid } from '../users/user-id.rules';
import {
  parseInboundRequest,
  parseMessagesQuery,
  parseUserPreferencesRequest,
  parseWebhookRequest,
} from './scripting-request.rules';

describe('parseInboundRequest', () => {
  it('reads a text message and normalises the number', () => {
    expect(parseInboundRequest({ from: '+55 11 98765-4321', name: 'Ana', text: 'Oi' })).toEqual({
      ok: true,
      value: { from: '5511987654321', name: 'Ana', content: { kind: 'text', text: 'Oi' } },
    });
  });

  it('reads a button reply with its optional phone number and context', () => {
    expect(
      parseInboundRequest({
        from: '5511987654321',
        button_reply: { id: 'confirm', title: 'Confirmar' },
        phoneNumberId: '1',
        context: 'wamid.X',
      }),
    ).toEqual({
      ok: true,
      value: {
        from: '5511987654321',
        content: { kind: 'button_reply', button: { id: 'confirm', title: 'Confirmar' } },
        phoneNumberId: '1',
        context: 'wamid.X',
      },
    });
  });

  it.each([
    [null, 'JSON object'],
    [{ text: 'x' }, 'from'],
    [{ from: 'abc', text: 'x' }, 'from'],
    [{ from: '5511987654321' }, 'exactly one'],
    [{ from: '5511987654321', text: 'x', button_reply: { id: 'a', title: 'A' } }, 'exactly one'],
    [{ from: '5511987654321', text: '' }, 'text'],
    [{ from: '5511987654321', button_reply: { id: 'a' } }, 'button_reply'],
    [{ from: '5511987654321', text: 'x', name: '' }, 'non-empty'],
    [{ from: '5511987654321', text: 'x', context: 5 }, 'non-empty'],
  ])('rejects %p', (body, mentions) => {
    const result = parseInboundRequest(body);
    expect(!result.ok && result.error).toContain(mentions);
  });
});

describe('parseWebhookRequest', () => {
  it('defaults to a valid signature', () => {
    expect(parseWebhookRequest({ payload: { a: 1 } })).toEqual({
      ok: true,
      value: { payload: { a: 1 }, signature: 'valid' },
    });
    expect(parseWebhookRequest({ raw: '{}', signature: 'forged', appSecret: 's' })).toEqual({
      ok: true,
      value: { raw: '{}', signature: 'forged', appSecret: 's' },
    });
  });

  it.each([[{}], [{ raw: 1 }], [{ payload: {}, signature: 'maybe' }], [{ payload: {}, appSecret: '' }], ['x']])(
    'rejects %p',
    (body) => {
      expect(parseWebhookRequest(body).ok).toBe(false);
    },
  );
});

describe('parseUserPreferencesRequest', () => {
  it('reads stop and resume', () => {
    expect(parseUserPreferencesRequest({ from: '+5511987654321', value: 'stop' })).toEqual({
      ok: true,
      value: { from: '5511987654321', value: 'stop' },
    });
    expect(parseUserPreferencesRequest({ from: '5511987654321', value: 'resume', phoneNumberId: '1' }).ok).toBe(true);
  });

  it.each([[{ from: '5511987654321', value: 'pause' }], [{ value: 'stop' }], [{ from: '1', value: 'stop' }], [[]]])(
    'rejects %p',
    (body) => {
      expect(parseUserPreferencesRequest(body).ok).toBe(false);
    },
  );
});

describe('parseMessagesQuery', () => {
  it('reads a number in any format, a BSUID, or nothing', () => {
    expect(parseMessagesQuery(new URLSearchParams('to=%2B5511987654321'))).toEqual({
      ok: true,
      value: { to: '5511987654321' },
    });
    // An unencoded + arrives as a space.
    expect(parseMessagesQuery(new URLSearchParams('to=+5511987654321'))).toEqual({
      ok: true,
      value: { to: '5511987654321' },
    });
    const bsuid = deriveBsuid('5511987654321');
    expect(parseMessagesQuery(new URLSearchParams({ to: bsuid }))).toEqual({ ok: true, value: { to: bsuid } });
    expect(parseMessagesQuery(new URLSearchParams(''))).toEqual({ ok: true, value: {} });
  });

  it('rejects anything else', () => {
    expect(parseMessagesQuery(new URLSearchParams('to=someone')).ok).toBe(false);
  });
});
