import {
  DELIVERY_STATUSES,
  INBOUND_MESSAGE_TYPES,
  type DeliveryStatusName,
  type InboundMessageType,
} from '@trustline/contracts';
import type { WebhookChange } from './webhook-routing.rules';

/*
 * Full normalization of a number's webhook changes (reference sections 2–2f), run by the intake worker after the
 * edge answered 200. A bad item is skipped with its path and the rule it broke, never the whole batch: Meta will not
 * resend a body we acknowledged. Types are checked strictly (a number where a string belongs skips the item) and
 * strings are capped, so a hostile or broken payload cannot push unbounded data downstream.
 */

/** Free text a user wrote: text.body, captions, system bodies, referral texts. */
export const MAX_TEXT_CHARS = 65_536;
/** Identifiers: wamids, media ids, reply ids, callback data. Real ones are well under 100 characters. */
export const MAX_ID_CHARS = 512;
/** Short labels: titles, names, mime types, file names, categories. */
export const MAX_LABEL_CHARS = 1_024;
export const MAX_URL_CHARS = 8_192;
/** contacts / order payloads are kept as they came (JSON): bounded by their total size and nesting. */
export const MAX_STRUCTURED_CHARS = 65_536;
export const MAX_STRUCTURED_DEPTH = 16;

// The message types and statuses are the wire contract's (gateway.message.received.v1, gateway.delivery.updated.v1).
export type { InboundMessageType };

export interface InboundContent {
  text?: string;
  caption?: string;
  media?: { id: string; mimeType?: string; sha256?: string; url?: string; filename?: string; voice?: boolean };
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  /** emoji absent = the reaction was removed. */
  reaction?: { messageId: string; emoji?: string };
  system?: { type: string; body?: string; newWaId?: string; newUserId?: string };
  contacts?: unknown;
  order?: unknown;
  referral?: {
    sourceUrl?: string;
    sourceId?: string;
    sourceType?: string;
    headline?: string;
    body?: string;
    ctwaClid?: string;
  };
  /** The title of the button or list row the user chose. */
  interactionTitle?: string;
}

export interface InboundMessage {
  readonly wamid: string;
  readonly sentAt: Date;
  /** wa_id digits, without a leading '+'. */
  readonly from?: string;
  /** Business-scoped user id (BSUID), e.g. `US.13491208655302741918`. */
  readonly fromUserId?: string;
  readonly profileName?: string;
  readonly type: InboundMessageType;
  readonly replyTo?: string;
  readonly forwarded?: 'forwarded' | 'frequently_forwarded';
  readonly interaction?: {
    kind: 'button_reply' | 'list_reply' | 'template_button';
    id: string;
    title: string;
    description?: string;
  };
  /** The personal part, to be encrypted by the caller. */
  readonly content: InboundContent;
  readonly errors?: readonly { code: number; title: string }[];
}

export type DeliveryStatus = DeliveryStatusName;

export interface StatusUpdate {
  readonly wamid: string;
  readonly status: DeliveryStatus;
  readonly at: Date;
  /** Individual sends: the recipient's wa_id digits. */
  readonly recipientId?: string;
  readonly recipientUserId?: string;
  /** Group sends (recipient_type 'group'): recipient_id is a group id, not a phone number, so it lives here. */
  readonly group?: { groupId: string; participantId?: string };
  readonly callbackData?: string;
  readonly errors: readonly { code: number; title: string; details?: string }[];
  readonly pricing?: { category?: string; type?: string; billable?: boolean };
}

export interface PreferenceUpdate {
  readonly waId?: string;
  readonly userId?: string;
  readonly category: string;
  readonly value: 'stop' | 'resume';
  readonly at: Date;
}

export interface PlatformError {
  readonly code: number;
  readonly title: string;
  readonly details?: string;
}

/** `reason` is `<field>:<rule>` (e.g. `text.body:too-long`) or a bare rule; field names come from this file. */
export interface SkippedItem {
  readonly path: string;
  readonly reason: string;
}

export interface NormalizedChanges {
  readonly messages: InboundMessage[];
  readonly statuses: StatusUpdate[];
  readonly preferences: PreferenceUpdate[];
  readonly errors: PlatformError[];
  readonly skipped: SkippedItem[];
}

const KNOWN_TYPES: ReadonlySet<string> = new Set<string>(INBOUND_MESSAGE_TYPES);
const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'audio', 'video', 'document', 'sticker']);
const STATUSES: ReadonlySet<string> = new Set<string>(DELIVERY_STATUSES);

/** wa_id: digits, Meta's examples show `from` with and without '+'. 20 digits is above any E.164 number. */
const WA_ID = /^\+?(\d{1,20})$/;
/** BSUID: country code, '.', up to 128 alphanumerics (reference 2f). */
const USER_ID = /^[A-Za-z]{2}\.[A-Za-z0-9]{1,128}$/;
/** Group ids are opaque tokens: printable ASCII without spaces. */
const GROUP_ID = /^[\x21-\x7e]{1,512}$/;
/** Unix seconds as a decimal string; 12 digits stay inside Date's range. */
const SECONDS_STRING = /^\d{1,12}$/;
const MAX_SECONDS = 999_999_999_999;
const MAX_TOKEN_CHARS = 64;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Thrown inside one item's parse: the item is skipped, the batch goes on. Never leaves this file. */
class Skip extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function skip(field: string, rule: string): never {
  throw new Skip(field === '' ? rule : `${field}:${rule}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function child(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

// --- field readers: undefined when absent, Skip when present but wrong ---------------------------------------

function optObject(record: Record<string, unknown>, key: string, field: string): Record<string, unknown> | undefined {
  const value = own(record, key);
  if (value === undefined) {
    return undefined;
  }
  return isRecord(value) ? value : skip(field, 'not-an-object');
}

function reqObject(record: Record<string, unknown>, key: string, field: string): Record<string, unknown> {
  return optObject(record, key, field) ?? skip(field, 'missing');
}

/** An optional string; '' counts as absent (Meta omits empty fields; an empty caption carries nothing). */
function optString(record: Record<string, unknown>, key: string, field: string, max: number): string | undefined {
  const value = own(record, key);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    return skip(field, 'not-a-string');
  }
  if (value.length > max) {
    return skip(field, 'too-long');
  }
  return value === '' ? undefined : value;
}

function reqString(record: Record<string, unknown>, key: string, field: string, max: number): string {
  if (own(record, key) === '') {
    return skip(field, 'empty');
  }
  return optString(record, key, field, max) ?? skip(field, 'missing');
}

function optBoolean(record: Record<string, unknown>, key: string, field: string): boolean | undefined {
  const value = own(record, key);
  if (value === undefined || typeof value === 'boolean') {
    return value;
  }
  return skip(field, 'not-a-boolean');
}

function reqCoordinate(record: Record<string, unknown>, key: string, field: string, limit: number): number {
  const value = own(record, key);
  if (value === undefined) {
    return skip(field, 'missing');
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return skip(field, 'not-a-number');
  }
  return Math.abs(value) <= limit ? value : skip(field, 'out-of-range');
}

function optWaId(record: Record<string, unknown>, key: string, field: string): string | undefined {
  const value = optString(record, key, field, MAX_TOKEN_CHARS);
  if (value === undefined) {
    return undefined;
  }
  return WA_ID.exec(value)?.[1] ?? skip(field, 'bad-format');
}

function optUserId(record: Record<string, unknown>, key: string, field: string): string | undefined {
  const value = optString(record, key, field, MAX_ID_CHARS);
  if (value === undefined) {
    return undefined;
  }
  return USER_ID.test(value) ? value : skip(field, 'bad-format');
}

/** Media URLs are fetched later with the access token: only absolute http(s) URLs pass. */
function optHttpUrl(record: Record<string, unknown>, key: string, field: string): string | undefined {
  const value = optString(record, key, field, MAX_URL_CHARS);
  if (value === undefined) {
    return undefined;
  }
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:') ? value : skip(field, 'bad-format');
}

/**
 * Unix seconds. Message and status timestamps are documented as strings, user_preferences ones as integers; both
 * forms are accepted everywhere since Meta's own samples are not consistent, but nothing else is.
 */
function reqTimestamp(record: Record<string, unknown>, key: string, field: string): Date {
  const value = own(record, key);
  let seconds: number;
  if (typeof value === 'string' && SECONDS_STRING.test(value)) {
    seconds = Number(value);
  } else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_SECONDS) {
    seconds = value;
  } else {
    return skip(field, value === undefined ? 'missing' : 'bad-format');
  }
  return new Date(seconds * 1000);
}

/**
 * Size of a JSON value in characters (strings and keys, plus one per node), or undefined once it exceeds `budget`
 * or nests deeper than MAX_STRUCTURED_DEPTH. Iterative, so hostile nesting cannot overflow the stack.
 */
function boundedSize(value: unknown, budget: number): number | undefined {
  let size = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    size += 1;
    if (depth > MAX_STRUCTURED_DEPTH) {
      return undefined;
    }
    if (typeof node === 'string') {
      size += node.length;
    } else if (Array.isArray(node)) {
      for (const item of node as unknown[]) {
        stack.push({ node: item, depth: depth + 1 });
      }
    } else if (isRecord(node)) {
      for (const key of Object.keys(node)) {
        size += key.length;
        stack.push({ node: node[key], depth: depth + 1 });
      }
    }
    if (size > budget) {
      return undefined;
    }
  }
  return size;
}

function structured(value: unknown, field: string): unknown {
  return boundedSize(value, MAX_STRUCTURED_CHARS) === undefined ? skip(field, 'too-large') : value;
}

function errorList(
  record: Record<string, unknown>,
  key: string,
  field: string,
): { code: number; title: string; details?: string }[] | undefined {
  const value = own(record, key);
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    return skip(field, 'not-an-array');
  }
  return (value as unknown[]).map((item, index) => platformError(item, `${field}[${index}]`));
}

function platformError(raw: unknown, field: string): { code: number; title: string; details?: string } {
  if (!isRecord(raw)) {
    return skip(field, 'not-an-object');
  }
  const code = own(raw, 'code');
  if (typeof code !== 'number' || !Number.isSafeInteger(code)) {
    return skip(child(field, 'code'), code === undefined ? 'missing' : 'not-an-integer');
  }
  const title = reqString(raw, 'title', child(field, 'title'), MAX_LABEL_CHARS);
  const errorData = optObject(raw, 'error_data', child(field, 'error_data'));
  const details =
    errorData === undefined
      ? undefined
      : optString(errorData, 'details', child(field, 'error_data.details'), MAX_TEXT_CHARS);
  return details === undefined ? { code, title } : { code, title, details };
}

// --- messages ---------------------------------------------------------------------------------------------------

interface ProfileNames {
  readonly byWaId: Map<string, string>;
  readonly byUserId: Map<string, string>;
}

const NO_NAMES: ProfileNames = { byWaId: new Map(), byUserId: new Map() };

/** value.contacts[] → profile names by wa_id and by user_id. Malformed entries just contribute no name. */
function profileNames(value: Record<string, unknown>): ProfileNames {
  const names: ProfileNames = { byWaId: new Map(), byUserId: new Map() };
  const contacts = own(value, 'contacts');
  if (!Array.isArray(contacts)) {
    return names;
  }
  for (const contact of contacts as unknown[]) {
    if (!isRecord(contact)) {
      continue;
    }
    const profile = own(contact, 'profile');
    const name = isRecord(profile) ? own(profile, 'name') : undefined;
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_LABEL_CHARS) {
      continue;
    }
    const waId = own(contact, 'wa_id');
    const waDigits = typeof waId === 'string' ? WA_ID.exec(waId)?.[1] : undefined;
    if (waDigits !== undefined && !names.byWaId.has(waDigits)) {
      names.byWaId.set(waDigits, name);
    }
    const userId = own(contact, 'user_id');
    if (typeof userId === 'string' && USER_ID.test(userId) && !names.byUserId.has(userId)) {
      names.byUserId.set(userId, name);
    }
  }
  return names;
}

function parseMessage(raw: unknown, names: ProfileNames): InboundMessage {
  if (!isRecord(raw)) {
    return skip('', 'not-an-object');
  }
  const wamid = reqString(raw, 'id', 'id', MAX_ID_CHARS);
  const sentAt = reqTimestamp(raw, 'timestamp', 'timestamp');
  const from = optWaId(raw, 'from', 'from');
  let fromUserId = optUserId(raw, 'from_user_id', 'from_user_id');
  const declared = reqString(raw, 'type', 'type', MAX_TOKEN_CHARS);
  let type: InboundMessageType = KNOWN_TYPES.has(declared) ? (declared as InboundMessageType) : 'unsupported';

  const message: Mutable<InboundMessage> = { wamid, sentAt, type, content: {} };
  const content = message.content;

  const context = optObject(raw, 'context', 'context');
  if (context !== undefined) {
    const replyTo = optString(context, 'id', 'context.id', MAX_ID_CHARS);
    const forwarded = optBoolean(context, 'forwarded', 'context.forwarded');
    const frequently = optBoolean(context, 'frequently_forwarded', 'context.frequently_forwarded');
    if (replyTo !== undefined) {
      message.replyTo = replyTo;
    }
    if (frequently === true) {
      message.forwarded = 'frequently_forwarded';
    } else if (forwarded === true) {
      message.forwarded = 'forwarded';
    }
  }

  const referral = optObject(raw, 'referral', 'referral');
  if (referral !== undefined) {
    content.referral = definedOnly({
      sourceUrl: optString(referral, 'source_url', 'referral.source_url', MAX_URL_CHARS),
      sourceId: optString(referral, 'source_id', 'referral.source_id', MAX_ID_CHARS),
      sourceType: optString(referral, 'source_type', 'referral.source_type', MAX_TOKEN_CHARS),
      headline: optString(referral, 'headline', 'referral.headline', MAX_TEXT_CHARS),
      body: optString(referral, 'body', 'referral.body', MAX_TEXT_CHARS),
      ctwaClid: optString(referral, 'ctwa_clid', 'referral.ctwa_clid', MAX_ID_CHARS),
    });
  }

  if (MEDIA_TYPES.has(type)) {
    const media = reqObject(raw, type, type);
    content.media = definedOnly({
      id: reqString(media, 'id', `${type}.id`, MAX_ID_CHARS),
      mimeType: optString(media, 'mime_type', `${type}.mime_type`, MAX_LABEL_CHARS),
      sha256: optString(media, 'sha256', `${type}.sha256`, MAX_LABEL_CHARS),
      url: optHttpUrl(media, 'url', `${type}.url`),
      filename: optString(media, 'filename', `${type}.filename`, MAX_LABEL_CHARS),
      voice: optBoolean(media, 'voice', `${type}.voice`),
    });
    const caption = optString(media, 'caption', `${type}.caption`, MAX_TEXT_CHARS);
    if (caption !== undefined) {
      content.caption = caption;
    }
  }

  switch (type) {
    case 'text': {
      const text = reqObject(raw, 'text', 'text');
      content.text = reqString(text, 'body', 'text.body', MAX_TEXT_CHARS);
      break;
    }
    case 'interactive': {
      const interactive = reqObject(raw, 'interactive', 'interactive');
      const kind = reqString(interactive, 'type', 'interactive.type', MAX_TOKEN_CHARS);
      if (kind === 'button_reply' || kind === 'list_reply') {
        const reply = reqObject(interactive, kind, `interactive.${kind}`);
        const id = reqString(reply, 'id', `interactive.${kind}.id`, MAX_ID_CHARS);
        const title = reqString(reply, 'title', `interactive.${kind}.title`, MAX_LABEL_CHARS);
        const description =
          kind === 'list_reply'
            ? optString(reply, 'description', `interactive.${kind}.description`, MAX_LABEL_CHARS)
            : undefined;
        message.interaction = description === undefined ? { kind, id, title } : { kind, id, title, description };
        content.interactionTitle = title;
      } else {
        // Flow replies, product messages...: not understood here, so nothing of them is kept.
        type = 'unsupported';
      }
      break;
    }
    case 'button': {
      const button = reqObject(raw, 'button', 'button');
      const id = reqString(button, 'payload', 'button.payload', MAX_LABEL_CHARS);
      const title = reqString(button, 'text', 'button.text', MAX_LABEL_CHARS);
      message.interaction = { kind: 'template_button', id, title };
      content.interactionTitle = title;
      break;
    }
    case 'location': {
      const location = reqObject(raw, 'location', 'location');
      content.location = definedOnly({
        latitude: reqCoordinate(location, 'latitude', 'location.latitude', 90),
        longitude: reqCoordinate(location, 'longitude', 'location.longitude', 180),
        name: optString(location, 'name', 'location.name', MAX_LABEL_CHARS),
        address: optString(location, 'address', 'location.address', MAX_LABEL_CHARS),
        url: optString(location, 'url', 'location.url', MAX_URL_CHARS),
      });
      break;
    }
    case 'contacts': {
      const contacts = own(raw, 'contacts');
      if (!Array.isArray(contacts)) {
        return skip('contacts', contacts === undefined ? 'missing' : 'not-an-array');
      }
      content.contacts = structured(contacts, 'contacts');
      break;
    }
    case 'order':
      content.order = structured(reqObject(raw, 'order', 'order'), 'order');
      break;
    case 'reaction': {
      const reaction = reqObject(raw, 'reaction', 'reaction');
      content.reaction = definedOnly({
        messageId: reqString(reaction, 'message_id', 'reaction.message_id', MAX_ID_CHARS),
        emoji: optString(reaction, 'emoji', 'reaction.emoji', MAX_TOKEN_CHARS),
      });
      break;
    }
    case 'system': {
      const system = reqObject(raw, 'system', 'system');
      content.system = definedOnly({
        type: reqString(system, 'type', 'system.type', MAX_TOKEN_CHARS),
        body: optString(system, 'body', 'system.body', MAX_TEXT_CHARS),
        newWaId: optWaId(system, 'wa_id', 'system.wa_id'),
        newUserId: optUserId(system, 'user_id', 'system.user_id'),
      });
      // A BSUID change may name no sender at all: the user is the one who had the previous BSUID.
      const previousUserId = optUserId(system, 'previous_user_id', 'system.previous_user_id');
      if (from === undefined && fromUserId === undefined) {
        fromUserId = previousUserId;
      }
      break;
    }
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
    case 'unsupported':
      break;
  }
  message.type = type;

  const errors = errorList(raw, 'errors', 'errors');
  if (errors !== undefined) {
    message.errors = errors.map(({ code, title }) => ({ code, title }));
  }

  if (from === undefined && fromUserId === undefined) {
    return skip('', 'missing-sender');
  }
  if (from !== undefined) {
    message.from = from;
  }
  if (fromUserId !== undefined) {
    message.fromUserId = fromUserId;
  }
  const profileName =
    (from === undefined ? undefined : names.byWaId.get(from)) ??
    (fromUserId === undefined ? undefined : names.byUserId.get(fromUserId));
  if (profileName !== undefined) {
    message.profileName = profileName;
  }
  return message;
}

/** Drops undefined properties, so results compare and serialise without `key: undefined` noise. */
function definedOnly<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) {
    if (record[key] === undefined) {
      delete record[key];
    }
  }
  return record;
}

// --- statuses, preferences, errors ------------------------------------------------------------------------------

function parseStatus(raw: unknown): StatusUpdate {
  if (!isRecord(raw)) {
    return skip('', 'not-an-object');
  }
  const wamid = reqString(raw, 'id', 'id', MAX_ID_CHARS);
  const status = reqString(raw, 'status', 'status', MAX_TOKEN_CHARS);
  if (!STATUSES.has(status)) {
    return skip('status', 'unknown-value');
  }
  const update: Mutable<StatusUpdate> = {
    wamid,
    status: status as DeliveryStatus,
    at: reqTimestamp(raw, 'timestamp', 'timestamp'),
    errors: [],
  };
  const recipientType = optString(raw, 'recipient_type', 'recipient_type', MAX_TOKEN_CHARS);
  if (recipientType === 'group') {
    const groupId = reqString(raw, 'recipient_id', 'recipient_id', MAX_ID_CHARS);
    if (!GROUP_ID.test(groupId)) {
      return skip('recipient_id', 'bad-format');
    }
    const participantId = optWaId(raw, 'recipient_participant_id', 'recipient_participant_id');
    update.group = participantId === undefined ? { groupId } : { groupId, participantId };
  } else if (recipientType === undefined || recipientType === 'individual') {
    const recipientId = optWaId(raw, 'recipient_id', 'recipient_id');
    if (recipientId !== undefined) {
      update.recipientId = recipientId;
    }
  } else {
    return skip('recipient_type', 'unknown-value');
  }
  const recipientUserId = optUserId(raw, 'recipient_user_id', 'recipient_user_id');
  if (recipientUserId !== undefined) {
    update.recipientUserId = recipientUserId;
  }
  const callbackData = optString(raw, 'biz_opaque_callback_data', 'biz_opaque_callback_data', MAX_ID_CHARS);
  if (callbackData !== undefined) {
    update.callbackData = callbackData;
  }
  update.errors = errorList(raw, 'errors', 'errors') ?? [];
  const pricing = optObject(raw, 'pricing', 'pricing');
  if (pricing !== undefined) {
    update.pricing = definedOnly({
      category: optString(pricing, 'category', 'pricing.category', MAX_TOKEN_CHARS),
      type: optString(pricing, 'type', 'pricing.type', MAX_TOKEN_CHARS),
      billable: optBoolean(pricing, 'billable', 'pricing.billable'),
    });
  }
  return update;
}

function parsePreference(raw: unknown): PreferenceUpdate {
  if (!isRecord(raw)) {
    return skip('', 'not-an-object');
  }
  const waId = optWaId(raw, 'wa_id', 'wa_id');
  const userId = optUserId(raw, 'user_id', 'user_id');
  const category = reqString(raw, 'category', 'category', MAX_TOKEN_CHARS);
  const value = reqString(raw, 'value', 'value', MAX_TOKEN_CHARS);
  if (value !== 'stop' && value !== 'resume') {
    return skip('value', 'unknown-value');
  }
  const at = reqTimestamp(raw, 'timestamp', 'timestamp');
  if (waId === undefined && userId === undefined) {
    return skip('', 'missing-user');
  }
  return definedOnly<Mutable<PreferenceUpdate>>({ waId, userId, category, value, at });
}

/** Parses `value[key][]` item by item into `into`; bad items and a non-array container land in `skipped`. */
function collect<T>(
  value: Record<string, unknown>,
  key: string,
  path: string,
  parse: (raw: unknown) => T,
  into: T[],
  skipped: SkippedItem[],
): void {
  const items = own(value, key);
  if (items === undefined) {
    return;
  }
  if (!Array.isArray(items)) {
    skipped.push({ path: `${path}.${key}`, reason: 'not-an-array' });
    return;
  }
  for (let index = 0; index < items.length; index++) {
    try {
      into.push(parse(items[index]));
    } catch (error) {
      if (!(error instanceof Skip)) {
        throw error;
      }
      skipped.push({ path: `${path}.${key}[${index}]`, reason: error.reason });
    }
  }
}

/**
 * Normalizes one number's changes (as grouped by routeWebhook). `field:'messages'` carries messages, statuses and
 * errors; `field:'user_preferences'` carries user_preferences; other fields are ignored, not skipped. Nothing is
 * deduplicated (the caller does, durably). Never throws on any JSON input.
 */
export function normalizeChanges(changes: readonly WebhookChange[]): NormalizedChanges {
  const result: NormalizedChanges = { messages: [], statuses: [], preferences: [], errors: [], skipped: [] };
  for (let index = 0; index < changes.length; index++) {
    const change: unknown = changes[index];
    const path = `changes[${index}]`;
    if (!isRecord(change) || typeof own(change, 'field') !== 'string' || !isRecord(own(change, 'value'))) {
      result.skipped.push({ path, reason: 'invalid-change' });
      continue;
    }
    const { field, value } = change as unknown as WebhookChange;
    const valuePath = `${path}.value`;
    if (field === 'messages') {
      const names = Array.isArray(own(value, 'messages')) ? profileNames(value) : NO_NAMES;
      collect(value, 'messages', valuePath, (raw) => parseMessage(raw, names), result.messages, result.skipped);
      collect(value, 'statuses', valuePath, parseStatus, result.statuses, result.skipped);
      collect(value, 'errors', valuePath, (raw) => platformError(raw, ''), result.errors, result.skipped);
    } else if (field === 'user_preferences') {
      collect(value, 'user_preferences', valuePath, parsePreference, result.preferences, result.skipped);
    }
  }
  return result;
}
