import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256`: HMAC-SHA256 of the exact body bytes, keyed with the app secret, as `sha256=<hex>`. */
export function signWebhookBody(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
