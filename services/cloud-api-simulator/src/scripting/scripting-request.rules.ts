import { isBsuid, phoneDigits } from '../users/user-id.rules';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface InboundRequest {
  /** Phone number digits. */
  from: string;
  name?: string;
  content: { kind: 'text'; text: string } | { kind: 'button_reply'; button: { id: string; title: string } };
  phoneNumberId?: string;
  context?: string;
}

export interface WebhookRequest {
  payload?: unknown;
  raw?: string;
  signature: 'valid' | 'forged' | 'none';
  appSecret?: string;
}

export interface UserPreferencesRequest {
  from: string;
  value: 'stop' | 'resume';
  phoneNumberId?: string;
}

export interface MessagesQuery {
  /** wa_id digits or BSUID; undefined = everyone. */
  to?: string;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(body: Json, key: string): string | undefined | false {
  const value = body[key];
  if (value === undefined) {
    return undefined;
  }
  return typeof value === 'string' && value.length > 0 ? value : false;
}

function parseFrom(body: Json): string | undefined {
  return typeof body.from === 'string' ? phoneDigits(body.from) : undefined;
}

/** `POST /_sim/inbound`: `{from, name?, text}` or `{from, button_reply:{id,title}}`, optional phoneNumberId, context. */
export function parseInboundRequest(body: unknown): Parsed<InboundRequest> {
  if (!isRecord(body)) {
    return { ok: false, error: 'The body must be a JSON object' };
  }
  const from = parseFrom(body);
  if (from === undefined) {
    return { ok: false, error: 'from must be a phone number of 7 to 15 digits' };
  }
  const name = optionalString(body, 'name');
  const phoneNumberId = optionalString(body, 'phoneNumberId');
  const context = optionalString(body, 'context');
  if (name === false || phoneNumberId === false || context === false) {
    return { ok: false, error: 'name, phoneNumberId and context must be non-empty strings when given' };
  }
  const { text, button_reply: buttonReply } = body;
  if ((text === undefined) === (buttonReply === undefined)) {
    return { ok: false, error: 'Give exactly one of text or button_reply' };
  }
  let content: InboundRequest['content'];
  if (text !== undefined) {
    if (typeof text !== 'string' || text.length === 0) {
      return { ok: false, error: 'text must be a non-empty string' };
    }
    content = { kind: 'text', text };
  } else {
    if (!isRecord(buttonReply) || typeof buttonReply.id !== 'string' || typeof buttonReply.title !== 'string') {
      return { ok: false, error: 'button_reply must be {id, title} with string values' };
    }
    content = { kind: 'button_reply', button: { id: buttonReply.id, title: buttonReply.title } };
  }
  return {
    ok: true,
    value: {
      from,
      content,
      ...(name === undefined ? {} : { name }),
      ...(phoneNumberId === undefined ? {} : { phoneNumberId }),
      ...(context === undefined ? {} : { context }),
    },
  };
}

/** `POST /_sim/webhook`: a payload (or raw bytes) to post as Meta, signed validly, forged, or not at all. */
export function parseWebhookRequest(body: unknown): Parsed<WebhookRequest> {
  if (!isRecord(body)) {
    return { ok: false, error: 'The body must be a JSON object' };
  }
  const { payload, raw, signature, appSecret } = body;
  if (payload === undefined && raw === undefined) {
    return { ok: false, error: 'Give payload (an object) or raw (a string)' };
  }
  if (raw !== undefined && typeof raw !== 'string') {
    return { ok: false, error: 'raw must be a string' };
  }
  if (signature !== undefined && signature !== 'valid' && signature !== 'forged' && signature !== 'none') {
    return { ok: false, error: 'signature must be valid, forged or none' };
  }
  if (appSecret !== undefined && (typeof appSecret !== 'string' || appSecret.length === 0)) {
    return { ok: false, error: 'appSecret must be a non-empty string' };
  }
  return {
    ok: true,
    value: {
      signature: signature ?? 'valid',
      ...(payload === undefined ? {} : { payload }),
      ...(raw === undefined ? {} : { raw }),
      ...(appSecret === undefined ? {} : { appSecret }),
    },
  };
}

/** `POST /_sim/user-preferences`: `{from, value: 'stop'|'resume', phoneNumberId?}`. */
export function parseUserPreferencesRequest(body: unknown): Parsed<UserPreferencesRequest> {
  if (!isRecord(body)) {
    return { ok: false, error: 'The body must be a JSON object' };
  }
  const from = parseFrom(body);
  if (from === undefined) {
    return { ok: false, error: 'from must be a phone number of 7 to 15 digits' };
  }
  if (body.value !== 'stop' && body.value !== 'resume') {
    return { ok: false, error: 'value must be stop or resume' };
  }
  const phoneNumberId = optionalString(body, 'phoneNumberId');
  if (phoneNumberId === false) {
    return { ok: false, error: 'phoneNumberId must be a non-empty string when given' };
  }
  return {
    ok: true,
    value: { from, value: body.value, ...(phoneNumberId === undefined ? {} : { phoneNumberId }) },
  };
}

/** `GET /_sim/messages?to=`: a phone number (any format) or a BSUID. */
export function parseMessagesQuery(params: URLSearchParams): Parsed<MessagesQuery> {
  const to = params.get('to');
  if (to === null || to === '') {
    return { ok: true, value: {} };
  }
  const user = isBsuid(to) ? to : phoneDigits(to);
  return user === undefined
    ? { ok: false, error: 'to must be a phone number or a BSUID' }
    : { ok: true, value: { to: user } };
}
