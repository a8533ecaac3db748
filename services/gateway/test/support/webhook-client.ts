import { createHmac } from 'node:crypto';

export function sign(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Meta serialises non-ASCII as \u escapes; the signature covers that form. */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface PostResult {
  readonly status: number;
  readonly text: string;
}

/** POSTs exact bytes to the webhook, optionally signed. */
export async function postWebhook(
  gatewayUrl: string,
  body: string | Buffer,
  signature?: string,
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const response = await fetch(`${gatewayUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
      ...headers,
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, text: await response.text() };
}
