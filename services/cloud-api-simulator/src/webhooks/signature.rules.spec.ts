import { signWebhookBody } from './signature.rules';

// Reference section 2a, byte for byte: one line, `á` escaped as \u00e1 (452 bytes).
const VECTOR_BODY =
  String.raw`{"object":"whatsapp_business_account","entry":[{"id":"880012345678901","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15551230000","phone_number_id":"109876543210987"},"contacts":[{"profile":{"name":"Ana Souza"}` +
  String.raw`,"wa_id":"5511987654321"}],"messages":[{"from":"5511987654321","id":"wamid.TEST0001","timestamp":"1767225600","type":"text","text":{"body":"Quero remarcar meu hor\u00e1rio"}}]},"field":"messages"}]}]}`;

describe('signWebhookBody', () => {
  it('matches the reference test vector over the exact 452 bytes', () => {
    expect(Buffer.byteLength(VECTOR_BODY)).toBe(452);
    expect(signWebhookBody(VECTOR_BODY, 'test_app_secret')).toBe(
      'sha256=1936993828f1f4904e40a6db1699fa24bda16dbe0cee4435e6ab07e5123ae412',
    );
  });

  it('gives another signature for the re-serialised (unescaped) body', () => {
    const reserialised = JSON.stringify(JSON.parse(VECTOR_BODY));
    expect(reserialised).toContain('horário');
    expect(signWebhookBody(reserialised, 'test_app_secret')).toMatch(/^sha256=e016167f6a8c/);
  });

  it('matches HMAC-SHA256("secret", "test")', () => {
    expect(signWebhookBody('test', 'secret')).toBe(
      'sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914',
    );
  });

  it('signs a string and its UTF-8 bytes alike', () => {
    expect(signWebhookBody(Buffer.from('olá', 'utf8'), 'k')).toBe(signWebhookBody('olá', 'k'));
  });
});
