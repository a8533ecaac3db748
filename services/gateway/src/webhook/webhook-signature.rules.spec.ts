import { parseSignatureHeader, secretEquals, signatureMatches, webhookSignature } from './webhook-signature.rules';

// The reference's test vector: the 452-byte one-line text-message sample, with `\u00e1` escaped as Meta sends it.
const VECTOR_BODY =
  '{"object":"whatsapp_business_account","entry":[{"id":"880012345678901","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15551230000","phone_number_id":"109876543210987"},"contacts":[{"profile":{"name":"Ana Souza"},"wa_id":"5511987654321"}],"messages":[{"from":"5511987654321","id":"wamid.TEST0001","timestamp":"1767225600","type":"text","text":{"body":"Quero remarcar meu hor\\u00e1rio"}}]},"field":"messages"}]}]}';
const VECTOR_SIGNATURE = 'sha256=1936993828f1f4904e40a6db1699fa24bda16dbe0cee4435e6ab07e5123ae412';

describe('webhook signature rules', () => {
  it('reproduces the reference test vector over the raw bytes', () => {
    const body = Buffer.from(VECTOR_BODY, 'utf8');
    expect(body.length).toBe(452);
    expect(webhookSignature(body, 'test_app_secret')).toBe(VECTOR_SIGNATURE);
    expect(signatureMatches(body, parseSignatureHeader(VECTOR_SIGNATURE)!, 'test_app_secret')).toBe(true);
  });

  it('matches the published HMAC sanity check', () => {
    expect(webhookSignature('test', 'secret')).toBe(
      'sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914',
    );
  });

  it('fails for the re-serialised body (á decoded), another secret, and a flipped byte', () => {
    const digest = parseSignatureHeader(VECTOR_SIGNATURE)!;
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(VECTOR_BODY)), 'utf8');
    expect(reserialised.equals(Buffer.from(VECTOR_BODY))).toBe(false);
    expect(signatureMatches(reserialised, digest, 'test_app_secret')).toBe(false);
    expect(signatureMatches(Buffer.from(VECTOR_BODY), digest, 'other_app_secret')).toBe(false);
    const flipped = Buffer.from(VECTOR_BODY);
    flipped[100] ^= 1;
    expect(signatureMatches(flipped, digest, 'test_app_secret')).toBe(false);
  });

  it.each([
    [undefined],
    [''],
    ['sha256='],
    ['sha1=1936993828f1f4904e40a6db1699fa24bda16dbe'],
    ['1936993828f1f4904e40a6db1699fa24bda16dbe0cee4435e6ab07e5123ae412'],
    ['sha256=1936993828f1f4904e40a6db1699fa24bda16dbe0cee4435e6ab07e5123ae41'],
    ['sha256=zz36993828f1f4904e40a6db1699fa24bda16dbe0cee4435e6ab07e5123ae412'],
  ])('rejects the malformed header %p', (header) => {
    expect(parseSignatureHeader(header)).toBeUndefined();
  });

  it('accepts upper-case hex', () => {
    expect(parseSignatureHeader(VECTOR_SIGNATURE.toUpperCase().replace('SHA256=', 'sha256='))).toEqual(
      parseSignatureHeader(VECTOR_SIGNATURE),
    );
  });

  it('compares verify tokens of any length', () => {
    expect(secretEquals('dev-verify-token', 'dev-verify-token')).toBe(true);
    expect(secretEquals('dev-verify-toke', 'dev-verify-token')).toBe(false);
    expect(secretEquals('', 'dev-verify-token')).toBe(false);
  });
});
