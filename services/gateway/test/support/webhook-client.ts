import { webhookSignature } from '../../src/webhook/webhook-signature.rules';
import { NUMBER_A1 } from './tenants';

/** X-Hub-Signature-256 as Meta computes it: the gateway's own rule, checked against the reference test vector. */
export const sign = webhookSignature;

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

export interface TextMessagePayload {
  readonly object: string;
  readonly entry: {
    readonly id: string;
    readonly changes: {
      readonly field: string;
      readonly value: { contacts: Record<string, unknown>[]; messages: Record<string, unknown>[] } & Record<
        string,
        unknown
      >;
    }[];
  }[];
}

/** A Meta messages webhook carrying one text message (serialise it with `metaJson`). */
export function textMessagePayload(
  wamid: string,
  text = 'olá',
  phoneNumberId = NUMBER_A1,
  from = '5511987654321',
  name = 'Ana Souza',
): TextMessagePayload {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '880012345678901',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15551230000', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [{ from, id: wamid, timestamp: '1767225600', type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  };
}
