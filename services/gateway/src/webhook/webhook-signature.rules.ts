import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** `sha256=<lowercase hex HMAC-SHA256 of the exact bytes>`, keyed with the app secret: X-Hub-Signature-256. */
export function webhookSignature(body: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(body).digest('hex');
}

/** The 32 digest bytes of a well-formed header, or undefined. Meta writes lowercase hex; upper case is accepted. */
export function parseSignatureHeader(header: string | undefined): Buffer | undefined {
  if (header === undefined || !header.startsWith(PREFIX)) {
    return undefined;
  }
  const hex = header.slice(PREFIX.length).toLowerCase();
  return HEX_DIGEST.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

/**
 * Whether `digest` is the HMAC of the raw bytes under `appSecret`, compared in constant time. The bytes are the
 * body exactly as received: re-serialised JSON (key order, whitespace, `\u` escapes) has another signature.
 */
export function signatureMatches(body: Buffer, digest: Buffer, appSecret: string): boolean {
  const expected = createHmac('sha256', appSecret).update(body).digest();
  return expected.length === digest.length && timingSafeEqual(expected, digest);
}

/** Constant-time equality of two secrets of any length (the verify token): compares keyed digests of both. */
export function secretEquals(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'verify-token').update(given).digest();
  const b = createHmac('sha256', 'verify-token').update(expected).digest();
  return timingSafeEqual(a, b);
}
