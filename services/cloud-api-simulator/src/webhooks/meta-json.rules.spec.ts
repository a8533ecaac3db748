import fc from 'fast-check';
import { toMetaJson } from './meta-json.rules';

const VECTOR_BODY =
  String.raw`{"object":"whatsapp_business_account","entry":[{"id":"880012345678901","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15551230000","phone_number_id":"109876543210987"},"contacts":[{"profile":{"name":"Ana Souza"}` +
  String.raw`,"wa_id":"5511987654321"}],"messages":[{"from":"5511987654321","id":"wamid.TEST0001","timestamp":"1767225600","type":"text","text":{"body":"Quero remarcar meu hor\u00e1rio"}}]},"field":"messages"}]}]}`;

describe('toMetaJson', () => {
  it('writes the reference sample exactly as Meta does', () => {
    expect(toMetaJson(JSON.parse(VECTOR_BODY))).toBe(VECTOR_BODY);
  });

  it('escapes non-ASCII as lowercase \\u, astral characters as surrogate pairs, and slashes', () => {
    expect(toMetaJson({ t: 'äöå' })).toBe(String.raw`{"t":"\u00e4\u00f6\u00e5"}`);
    expect(toMetaJson({ t: '😀' })).toBe(String.raw`{"t":"\ud83d\ude00"}`);
    expect(toMetaJson({ u: 'https://a.test/b' })).toBe(String.raw`{"u":"https:\/\/a.test\/b"}`);
    expect(toMetaJson({ t: 'line\nbreak "quoted"' })).toBe(String.raw`{"t":"line\nbreak \"quoted\""}`);
  });

  it('is pure ASCII and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = toMetaJson(value);
        // eslint-disable-next-line no-control-regex
        return /^[\x00-\x7f]*$/.test(json) && JSON.stringify(JSON.parse(json)) === JSON.stringify(value);
      }),
    );
  });
});
