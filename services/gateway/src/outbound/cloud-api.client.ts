import { Injectable } from '@nestjs/common';
import { InjectServiceConfig } from '@trustline/service-kit';
import type { BusinessNumber, GatewayConfig } from '../tenants/tenant-directory';
import type { SendFailure } from './send-failure.rules';

export type SendResult =
  | { readonly ok: true; readonly wamid: string }
  | { readonly ok: false; readonly failure: SendFailure; readonly errorCode?: number };

/** Connection errors raised before any byte of the request reached Meta: safe to resend. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The Cloud API send endpoint over HTTP (`POST /<version>/<phone_number_id>/messages`, bearer token of the number's
 * app). It reports what happened, classified for the retry rules: Meta's error code when the answer is Meta's
 * error shape, and whether a failed request may have reached Meta (then resending could duplicate the message).
 */
@Injectable()
export class CloudApiClient {
  constructor(@InjectServiceConfig() private readonly config: GatewayConfig) {}

  async send(number: BusinessNumber, body: Record<string, unknown>): Promise<SendResult> {
    const url = `${this.config.WHATSAPP_API_BASE_URL.replace(/\/$/, '')}/${this.config.WHATSAPP_API_VERSION}/${number.phoneNumberId}/messages`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${number.app.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.WHATSAPP_SEND_TIMEOUT_MS),
      });
    } catch (error) {
      return { ok: false, failure: classifyTransportError(error) };
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch {
      answer = undefined;
    }
    if (response.ok) {
      const wamid = readWamid(answer);
      if (wamid) {
        return { ok: true, wamid };
      }
      // 200 without a message id is not Meta's success shape: count it as a server fault, retried later.
      return { ok: false, failure: { kind: 'api', httpStatus: 502 } };
    }
    const code = readErrorCode(answer);
    return {
      ok: false,
      failure: { kind: 'api', httpStatus: response.status, ...(code === undefined ? {} : { code }) },
      ...(code === undefined ? {} : { errorCode: code }),
    };
  }
}

function classifyTransportError(error: unknown): SendFailure {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'timeout' };
  }
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return { kind: 'network', requestSent: !(typeof code === 'string' && NOT_SENT_CODES.has(code)) };
}

function readWamid(answer: unknown): string | undefined {
  const messages = (answer as { messages?: unknown } | undefined)?.messages;
  const id = Array.isArray(messages) ? (messages[0] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function readErrorCode(answer: unknown): number | undefined {
  const code = (answer as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}
