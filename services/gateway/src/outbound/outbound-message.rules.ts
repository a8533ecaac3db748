import { InvalidOutboundMessageError } from './invalid-outbound-message.error';

/*
 * What the platform may send through the Cloud API, checked before sending (reference section 3), and the send body
 * built from it. Lengths: Meta documents limits in "characters" without saying which; we measure the JS string
 * length (UTF-16 code units) of the NFC form, which is never below the code point count, so a message that passes
 * here is not over Meta's limit under either reading. Human-readable text is sent in that NFC form.
 */

export const TEXT_MAX_CHARS = 4096;
export const BUTTONS_MAX = 3;
export const BUTTON_TITLE_MAX_CHARS = 20;
export const BUTTON_ID_MAX_CHARS = 256;
export const BUTTONS_BODY_MAX_CHARS = 1024;
export const BUTTONS_FOOTER_MAX_CHARS = 60;
export const BUTTONS_HEADER_MAX_CHARS = 60;
export const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
/** `en`, `pt_BR`, `es_MX`, `fil`: a language, optionally with a region. */
export const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
export const DOCUMENT_FILENAME_MAX_CHARS = 240;
export const DOCUMENT_CAPTION_MAX_CHARS = 1024;
/** Sanity bounds not in the reference: Meta enforces the template's own limits (errors 132000/132005...). */
export const TEMPLATE_PARAMETER_MAX_CHARS = 1024;
export const TEMPLATE_PARAMETERS_MAX = 100;
export const TEMPLATE_BUTTONS_MAX = 10;
export const LINK_MAX_CHARS = 2048;
export const MEDIA_ID_MAX_CHARS = 256;
/** Meta echoes biz_opaque_callback_data in status webhooks; it accepts up to 512 characters. */
export const CALLBACK_DATA_MAX_CHARS = 512;
export const REPLY_TO_MAX_CHARS = 512;

export type TemplateParameter =
  | { type: 'text'; text: string; parameter_name?: string }
  | { type: 'currency'; currency: { fallback_value: string; code: string; amount_1000: number } }
  | { type: 'date_time'; date_time: { fallback_value: string } }
  | { type: 'image'; image: TemplateMedia }
  | { type: 'video'; video: TemplateMedia }
  | { type: 'document'; document: TemplateMedia & { filename?: string } }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string; address?: string } }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string }
  | { type: 'action'; action: Record<string, unknown> };

export type TemplateMedia = { link: string } | { id: string };

export type TemplateButtonSubType = 'quick_reply' | 'url' | 'copy_code' | 'flow' | 'catalog' | 'mpm';

/** Meta's send shape for template components; `index` is the button's position, sent as a string ("0".."9"). */
export type TemplateComponent =
  | { type: 'header'; parameters: TemplateParameter[] }
  | { type: 'body'; parameters: TemplateParameter[] }
  | { type: 'button'; sub_type: TemplateButtonSubType; index: string; parameters: TemplateParameter[] };

export type OutboundMessage =
  | { type: 'text'; text: string; previewUrl?: boolean }
  | { type: 'buttons'; body: string; header?: string; footer?: string; buttons: { id: string; title: string }[] }
  | { type: 'template'; name: string; language: string; components?: TemplateComponent[] }
  | { type: 'document'; link?: string; mediaId?: string; filename?: string; caption?: string };

const PARAMETERS_BY_COMPONENT: Record<'header' | 'body', ReadonlySet<string>> = {
  header: new Set(['text', 'currency', 'date_time', 'image', 'video', 'document', 'location']),
  body: new Set(['text', 'currency', 'date_time']),
};
/** Which parameter each button sub-type takes, per Meta's template send docs. */
const PARAMETER_BY_BUTTON: Record<TemplateButtonSubType, string> = {
  quick_reply: 'payload',
  url: 'text',
  copy_code: 'coupon_code',
  flow: 'action',
  catalog: 'action',
  mpm: 'action',
};
const WA_ID = /^\+?(\d{1,20})$/;
const USER_ID = /^[A-Za-z]{2}\.[A-Za-z0-9]{1,128}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;
const NO_WHITESPACE = /^\S+$/;
/** Unknown keys are named in problems only when they look like field names: a key could carry data too. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Collects problems for one check; each reader returns undefined (and records why) when the value is unusable. */
class Checker {
  readonly problems: string[] = [];

  fail(field: string, rule: string): undefined {
    this.problems.push(`${field} ${rule}`);
    return undefined;
  }

  onlyKeys(record: Record<string, unknown>, field: string, allowed: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        this.fail(field, FIELD_NAME.test(key) ? `has unknown field '${key}'` : 'has an unknown field');
      }
    }
  }

  record(value: unknown, field: string): Record<string, unknown> | undefined {
    return isRecord(value) ? value : this.fail(field, 'must be an object');
  }

  /** Human-readable text: NFC-normalized, then measured (see the file comment). */
  text(value: unknown, field: string, max: number, required = true): string | undefined {
    if (value === undefined && !required) {
      return undefined;
    }
    if (typeof value !== 'string') {
      return this.fail(field, value === undefined ? 'is required' : 'must be a string');
    }
    const normalized = value.normalize('NFC');
    return normalized.length >= 1 && normalized.length <= max
      ? normalized
      : this.fail(field, `must be 1..${max} characters`);
  }

  /** Identifiers are sent byte for byte (a reply echoes the id back): not normalized. */
  token(value: unknown, field: string, max: number, pattern?: RegExp, required = true): string | undefined {
    if (value === undefined && !required) {
      return undefined;
    }
    if (typeof value !== 'string') {
      return this.fail(field, value === undefined ? 'is required' : 'must be a string');
    }
    if (value.length < 1 || value.length > max) {
      return this.fail(field, `must be 1..${max} characters`);
    }
    return pattern === undefined || pattern.test(value) ? value : this.fail(field, `must match ${String(pattern)}`);
  }

  link(value: unknown, field: string): string | undefined {
    const link = this.token(value, field, LINK_MAX_CHARS);
    if (link === undefined) {
      return undefined;
    }
    const url = URL.parse(link);
    return url !== null && (url.protocol === 'https:' || url.protocol === 'http:')
      ? link
      : this.fail(field, 'must be an http(s) URL');
  }

  boolean(value: unknown, field: string): boolean | undefined {
    return value === undefined || typeof value === 'boolean' ? value : this.fail(field, 'must be a boolean');
  }

  coordinate(value: unknown, field: string, limit: number): number | undefined {
    return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit
      ? value
      : this.fail(field, `must be a number in -${limit}..${limit}`);
  }

  list(value: unknown, field: string, min: number, max: number): unknown[] | undefined {
    if (!Array.isArray(value)) {
      return this.fail(field, value === undefined ? 'is required' : 'must be an array');
    }
    return value.length >= min && value.length <= max ? value : this.fail(field, `must have ${min}..${max} items`);
  }
}

/** Copies the defined properties only, so optional fields never appear as `key: undefined`. */
function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

function checkText(input: Record<string, unknown>, check: Checker): OutboundMessage | undefined {
  check.onlyKeys(input, 'message', ['type', 'text', 'previewUrl']);
  const text = check.text(own(input, 'text'), 'text', TEXT_MAX_CHARS);
  const previewUrl = check.boolean(own(input, 'previewUrl'), 'previewUrl');
  return text === undefined ? undefined : defined<OutboundMessage>({ type: 'text', text, previewUrl });
}

function checkButtons(input: Record<string, unknown>, check: Checker): OutboundMessage | undefined {
  check.onlyKeys(input, 'message', ['type', 'body', 'header', 'footer', 'buttons']);
  const body = check.text(own(input, 'body'), 'body', BUTTONS_BODY_MAX_CHARS);
  const header = check.text(own(input, 'header'), 'header', BUTTONS_HEADER_MAX_CHARS, false);
  const footer = check.text(own(input, 'footer'), 'footer', BUTTONS_FOOTER_MAX_CHARS, false);
  const items = check.list(own(input, 'buttons'), 'buttons', 1, BUTTONS_MAX) ?? [];
  const buttons: { id: string; title: string }[] = [];
  items.forEach((item, index) => {
    const field = `buttons[${index}]`;
    const button = check.record(item, field);
    if (button === undefined) {
      return;
    }
    check.onlyKeys(button, field, ['id', 'title']);
    const id = check.token(own(button, 'id'), `${field}.id`, BUTTON_ID_MAX_CHARS);
    const title = check.text(own(button, 'title'), `${field}.title`, BUTTON_TITLE_MAX_CHARS);
    if (id !== undefined && buttons.some((other) => other.id === id)) {
      check.fail(`${field}.id`, 'must be unique');
    }
    if (title !== undefined && buttons.some((other) => other.title === title)) {
      check.fail(`${field}.title`, 'must be unique');
    }
    // Kept even when invalid (with placeholders) so later duplicates are still compared against it.
    buttons.push({ id: id ?? '', title: title ?? '' });
  });
  if (body === undefined || check.problems.length > 0) {
    return undefined;
  }
  return defined<OutboundMessage>({ type: 'buttons', body, header, footer, buttons });
}

function checkTemplateMedia(
  value: unknown,
  field: string,
  check: Checker,
  withFilename: boolean,
): (TemplateMedia & { filename?: string }) | undefined {
  const media = check.record(value, field);
  if (media === undefined) {
    return undefined;
  }
  check.onlyKeys(media, field, withFilename ? ['link', 'id', 'filename'] : ['link', 'id']);
  const hasLink = own(media, 'link') !== undefined;
  if (hasLink === (own(media, 'id') !== undefined)) {
    return check.fail(field, 'must have exactly one of link or id');
  }
  const filename = withFilename
    ? check.text(own(media, 'filename'), `${field}.filename`, DOCUMENT_FILENAME_MAX_CHARS, false)
    : undefined;
  if (hasLink) {
    const link = check.link(own(media, 'link'), `${field}.link`);
    return link === undefined ? undefined : defined({ link, filename });
  }
  const id = check.token(own(media, 'id'), `${field}.id`, MEDIA_ID_MAX_CHARS, NO_WHITESPACE);
  return id === undefined ? undefined : defined({ id, filename });
}

function checkParameter(value: unknown, field: string, check: Checker): TemplateParameter | undefined {
  const parameter = check.record(value, field);
  if (parameter === undefined) {
    return undefined;
  }
  const type = own(parameter, 'type');
  const max = TEMPLATE_PARAMETER_MAX_CHARS;
  switch (type) {
    case 'text': {
      check.onlyKeys(parameter, field, ['type', 'text', 'parameter_name']);
      const text = check.text(own(parameter, 'text'), `${field}.text`, max);
      const name = check.token(own(parameter, 'parameter_name'), `${field}.parameter_name`, 512, TEMPLATE_NAME, false);
      return text === undefined ? undefined : defined({ type, text, parameter_name: name });
    }
    case 'currency': {
      check.onlyKeys(parameter, field, ['type', 'currency']);
      const currency = check.record(own(parameter, 'currency'), `${field}.currency`);
      if (currency === undefined) {
        return undefined;
      }
      check.onlyKeys(currency, `${field}.currency`, ['fallback_value', 'code', 'amount_1000']);
      const fallback = check.text(own(currency, 'fallback_value'), `${field}.currency.fallback_value`, max);
      const code = check.token(own(currency, 'code'), `${field}.currency.code`, 3, CURRENCY_CODE);
      const amount = own(currency, 'amount_1000');
      if (!Number.isSafeInteger(amount)) {
        check.fail(`${field}.currency.amount_1000`, 'must be an integer');
      }
      return fallback === undefined || code === undefined || typeof amount !== 'number'
        ? undefined
        : { type, currency: { fallback_value: fallback, code, amount_1000: amount } };
    }
    case 'date_time': {
      check.onlyKeys(parameter, field, ['type', 'date_time']);
      const dateTime = check.record(own(parameter, 'date_time'), `${field}.date_time`);
      if (dateTime === undefined) {
        return undefined;
      }
      check.onlyKeys(dateTime, `${field}.date_time`, ['fallback_value']);
      const fallback = check.text(own(dateTime, 'fallback_value'), `${field}.date_time.fallback_value`, max);
      return fallback === undefined ? undefined : { type, date_time: { fallback_value: fallback } };
    }
    case 'image':
    case 'video': {
      check.onlyKeys(parameter, field, ['type', type]);
      const media = checkTemplateMedia(own(parameter, type), `${field}.${type}`, check, false);
      if (media === undefined) {
        return undefined;
      }
      return type === 'image' ? { type, image: media } : { type, video: media };
    }
    case 'document': {
      check.onlyKeys(parameter, field, ['type', 'document']);
      const media = checkTemplateMedia(own(parameter, 'document'), `${field}.document`, check, true);
      return media === undefined ? undefined : { type, document: media };
    }
    case 'location': {
      check.onlyKeys(parameter, field, ['type', 'location']);
      const location = check.record(own(parameter, 'location'), `${field}.location`);
      if (location === undefined) {
        return undefined;
      }
      check.onlyKeys(location, `${field}.location`, ['latitude', 'longitude', 'name', 'address']);
      const latitude = check.coordinate(own(location, 'latitude'), `${field}.location.latitude`, 90);
      const longitude = check.coordinate(own(location, 'longitude'), `${field}.location.longitude`, 180);
      const name = check.text(own(location, 'name'), `${field}.location.name`, max, false);
      const address = check.text(own(location, 'address'), `${field}.location.address`, max, false);
      return latitude === undefined || longitude === undefined
        ? undefined
        : { type, location: defined({ latitude, longitude, name, address }) };
    }
    case 'payload': {
      check.onlyKeys(parameter, field, ['type', 'payload']);
      const payload = check.token(own(parameter, 'payload'), `${field}.payload`, max);
      return payload === undefined ? undefined : { type, payload };
    }
    case 'coupon_code': {
      check.onlyKeys(parameter, field, ['type', 'coupon_code']);
      const code = check.token(own(parameter, 'coupon_code'), `${field}.coupon_code`, max);
      return code === undefined ? undefined : { type, coupon_code: code };
    }
    case 'action': {
      check.onlyKeys(parameter, field, ['type', 'action']);
      const action = check.record(own(parameter, 'action'), `${field}.action`);
      return action === undefined ? undefined : { type, action };
    }
    default:
      return check.fail(`${field}.type`, 'must be a known parameter type');
  }
}

function checkParameters(
  value: unknown,
  field: string,
  check: Checker,
  allowed: (type: string) => boolean,
): TemplateParameter[] | undefined {
  const items = check.list(value, field, 1, TEMPLATE_PARAMETERS_MAX);
  if (items === undefined) {
    return undefined;
  }
  const parameters: TemplateParameter[] = [];
  items.forEach((item, index) => {
    const parameter = checkParameter(item, `${field}[${index}]`, check);
    if (parameter === undefined) {
      return;
    }
    if (!allowed(parameter.type)) {
      check.fail(`${field}[${index}].type`, 'is not allowed in this component');
      return;
    }
    parameters.push(parameter);
  });
  return parameters;
}

function checkComponents(value: unknown, check: Checker): TemplateComponent[] | undefined {
  const items = check.list(value, 'components', 1, 2 + TEMPLATE_BUTTONS_MAX);
  if (items === undefined) {
    return undefined;
  }
  const components: TemplateComponent[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const field = `components[${index}]`;
    const component = check.record(item, field);
    if (component === undefined) {
      return;
    }
    const type = own(component, 'type');
    if (type === 'header' || type === 'body') {
      check.onlyKeys(component, field, ['type', 'parameters']);
      if (seen.has(type)) {
        check.fail(field, `must be the only ${type} component`);
      }
      seen.add(type);
      const allowed = PARAMETERS_BY_COMPONENT[type];
      const parameters = checkParameters(own(component, 'parameters'), `${field}.parameters`, check, (t) =>
        allowed.has(t),
      );
      if (type === 'header' && parameters !== undefined && parameters.length > 1) {
        check.fail(`${field}.parameters`, 'must have 1 item for a header');
      }
      if (parameters !== undefined) {
        components.push({ type, parameters });
      }
      return;
    }
    if (type !== 'button') {
      check.fail(`${field}.type`, 'must be header, body or button');
      return;
    }
    check.onlyKeys(component, field, ['type', 'sub_type', 'index', 'parameters']);
    const subType = own(component, 'sub_type');
    const rawIndex = own(component, 'index');
    let buttonIndex: string | undefined;
    if (
      typeof rawIndex === 'number' &&
      Number.isInteger(rawIndex) &&
      rawIndex >= 0 &&
      rawIndex < TEMPLATE_BUTTONS_MAX
    ) {
      buttonIndex = String(rawIndex);
    } else if (typeof rawIndex === 'string' && /^\d$/.test(rawIndex)) {
      buttonIndex = rawIndex;
    } else {
      check.fail(`${field}.index`, rawIndex === undefined ? 'is required for button components' : 'must be 0..9');
    }
    if (buttonIndex !== undefined) {
      if (seen.has(`button:${buttonIndex}`)) {
        check.fail(`${field}.index`, 'must be unique');
      }
      seen.add(`button:${buttonIndex}`);
    }
    if (typeof subType !== 'string' || !Object.hasOwn(PARAMETER_BY_BUTTON, subType)) {
      check.fail(
        `${field}.sub_type`,
        subType === undefined ? 'is required for button components' : 'must be a known button sub_type',
      );
      return;
    }
    const expected = PARAMETER_BY_BUTTON[subType as TemplateButtonSubType];
    const parameters = checkParameters(
      own(component, 'parameters'),
      `${field}.parameters`,
      check,
      (t) => t === expected,
    );
    if (parameters !== undefined && buttonIndex !== undefined) {
      components.push({ type, sub_type: subType as TemplateButtonSubType, index: buttonIndex, parameters });
    }
  });
  return components;
}

function checkTemplate(input: Record<string, unknown>, check: Checker): OutboundMessage | undefined {
  check.onlyKeys(input, 'message', ['type', 'name', 'language', 'components']);
  const name = check.token(own(input, 'name'), 'name', 512, TEMPLATE_NAME);
  const language = check.token(own(input, 'language'), 'language', 6, TEMPLATE_LANGUAGE);
  const components =
    own(input, 'components') === undefined ? undefined : checkComponents(own(input, 'components'), check);
  if (name === undefined || language === undefined || check.problems.length > 0) {
    return undefined;
  }
  return defined<OutboundMessage>({ type: 'template', name, language, components });
}

function checkDocument(input: Record<string, unknown>, check: Checker): OutboundMessage | undefined {
  check.onlyKeys(input, 'message', ['type', 'link', 'mediaId', 'filename', 'caption']);
  const hasLink = own(input, 'link') !== undefined;
  const hasMediaId = own(input, 'mediaId') !== undefined;
  if (hasLink === hasMediaId) {
    check.fail('document', 'must have exactly one of link or mediaId');
  }
  const link = hasLink ? check.link(own(input, 'link'), 'link') : undefined;
  const mediaId = hasMediaId
    ? check.token(own(input, 'mediaId'), 'mediaId', MEDIA_ID_MAX_CHARS, NO_WHITESPACE)
    : undefined;
  const filename = check.text(own(input, 'filename'), 'filename', DOCUMENT_FILENAME_MAX_CHARS, false);
  const caption = check.text(own(input, 'caption'), 'caption', DOCUMENT_CAPTION_MAX_CHARS, false);
  if (check.problems.length > 0) {
    return undefined;
  }
  return defined<OutboundMessage>({ type: 'document', link, mediaId, filename, caption });
}

/**
 * The message if the Cloud API would accept its shape, as a fresh object with text in NFC form; otherwise throws
 * InvalidOutboundMessageError listing every problem (field and limit, never the value). Unknown fields are refused
 * rather than dropped, so a caller's typo cannot silently change what is sent.
 */
export function checkOutboundMessage(value: unknown): OutboundMessage {
  const check = new Checker();
  const input = check.record(value, 'message');
  let message: OutboundMessage | undefined;
  if (input !== undefined) {
    const type = own(input, 'type');
    switch (type) {
      case 'text':
        message = checkText(input, check);
        break;
      case 'buttons':
        message = checkButtons(input, check);
        break;
      case 'template':
        message = checkTemplate(input, check);
        break;
      case 'document':
        message = checkDocument(input, check);
        break;
      default:
        check.fail('type', 'must be one of text, buttons, template, document');
    }
  }
  if (message === undefined || check.problems.length > 0) {
    throw new InvalidOutboundMessageError(check.problems);
  }
  return message;
}

/** Free-form messages need an open 24 h service window; templates do not. */
export function isFreeForm(message: OutboundMessage): boolean {
  return message.type !== 'template';
}

function typeObject(message: OutboundMessage): [string, Record<string, unknown>] {
  switch (message.type) {
    case 'text':
      return ['text', defined({ preview_url: message.previewUrl, body: message.text })];
    case 'buttons':
      return [
        'interactive',
        defined({
          type: 'button',
          header: message.header === undefined ? undefined : { type: 'text', text: message.header },
          body: { text: message.body },
          footer: message.footer === undefined ? undefined : { text: message.footer },
          action: { buttons: message.buttons.map(({ id, title }) => ({ type: 'reply', reply: { id, title } })) },
        }),
      ];
    case 'template':
      return [
        'template',
        defined({ name: message.name, language: { code: message.language }, components: message.components }),
      ];
    case 'document':
      return [
        'document',
        defined({ link: message.link, id: message.mediaId, filename: message.filename, caption: message.caption }),
      ];
  }
}

/**
 * The POST /<PHONE_NUMBER_ID>/messages body for a checked message. The recipient is `to: '+<wa_id>'` when the
 * phone number is known (the '+' stops Meta from prepending the business number's country code), else
 * `recipient: <BSUID>` for users known only by username.
 */
export function toCloudApiBody(
  message: OutboundMessage,
  recipient: { waId?: string; userId?: string },
  options: { replyTo?: string; callbackData?: string } = {},
): Record<string, unknown> {
  const check = new Checker();
  const waId = recipient.waId === undefined ? undefined : WA_ID.exec(recipient.waId)?.[1];
  if (recipient.waId !== undefined && waId === undefined) {
    check.fail('recipient.waId', 'must be 1..20 digits');
  }
  const userId = check.token(recipient.userId, 'recipient.userId', 140, USER_ID, false);
  if (recipient.waId === undefined && recipient.userId === undefined) {
    check.fail('recipient', 'needs a waId or a userId');
  }
  const replyTo = check.token(options.replyTo, 'replyTo', REPLY_TO_MAX_CHARS, NO_WHITESPACE, false);
  const callbackData = check.token(options.callbackData, 'callbackData', CALLBACK_DATA_MAX_CHARS, undefined, false);
  if (check.problems.length > 0) {
    throw new InvalidOutboundMessageError(check.problems);
  }
  const [type, payload] = typeObject(message);
  return defined({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: waId === undefined ? undefined : `+${waId}`,
    recipient: waId === undefined ? userId : undefined,
    type,
    [type]: payload,
    context: replyTo === undefined ? undefined : { message_id: replyTo },
    biz_opaque_callback_data: callbackData,
  });
}
