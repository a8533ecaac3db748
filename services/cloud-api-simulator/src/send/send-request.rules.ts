import { isBsuid, phoneDigits } from '../users/user-id.rules';
import type { PricingCategory } from '../webhooks/webhook-payload.rules';

export type MessageType = 'text' | 'interactive' | 'template' | 'document' | 'image';
export const MESSAGE_TYPES: readonly MessageType[] = ['text', 'interactive', 'template', 'document', 'image'];

/** Documented Cloud API limits (reference section 3; list limits from Meta's interactive list message page). */
export const LIMITS = Object.freeze({
  textBody: 4096,
  callbackData: 512,
  caption: 1024,
  buttonBody: 1024,
  footer: 60,
  headerText: 60,
  buttonsMin: 1,
  buttonsMax: 3,
  buttonId: 256,
  buttonTitle: 20,
  listBody: 4096,
  listButton: 20,
  listSections: 10,
  listRows: 10,
  listRowId: 200,
  listRowTitle: 24,
  listRowDescription: 72,
  listSectionTitle: 24,
  templateName: 512,
});

/** Who a send is for: a phone number (`to`, kept as given for the response) or a BSUID (`recipient`). */
export type SendRecipient = { input: string; waId: string } | { input: string; userId: string };

export interface MessageSend {
  kind: 'message';
  type: MessageType;
  recipient: SendRecipient;
  callbackData?: string;
  templateName?: string;
  category: PricingCategory;
}

export interface MarkAsRead {
  kind: 'read';
  messageId: string;
}

/** 100 = not a Cloud API message request at all, 131008 = a required parameter missing, 131009 = a value invalid. */
export interface SendViolation {
  code: 100 | 131008 | 131009;
  details: string;
}

export type SendValidation = { ok: true; request: MessageSend | MarkAsRead } | { ok: false; violation: SendViolation };

type Json = Record<string, unknown>;

class Violation extends Error {
  constructor(readonly violation: SendViolation) {
    super(violation.details);
  }
}

function fail(code: SendViolation['code'], details: string): never {
  throw new Violation({ code, details });
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Characters as people count them: code points, so an emoji is one, not two UTF-16 units. */
function length(text: string): number {
  let count = 0;
  for (const _ of text) {
    count += 1;
  }
  return count;
}

function requireObject(parent: Json, key: string, path: string): Json {
  const value = parent[key];
  if (value === undefined) {
    return fail(131008, `${path} is required`);
  }
  if (!isRecord(value)) {
    return fail(131009, `${path} must be an object`);
  }
  return value;
}

function optionalObject(parent: Json, key: string, path: string): Json | undefined {
  return parent[key] === undefined ? undefined : requireObject(parent, key, path);
}

function checkText(value: unknown, path: string, min: number, max: number): string {
  if (typeof value !== 'string') {
    return fail(131009, `${path} must be a string`);
  }
  const chars = length(value);
  if (chars < min || chars > max) {
    return fail(
      131009,
      min > 0 ? `${path} must be ${min} to ${max} characters` : `${path} must be at most ${max} characters`,
    );
  }
  return value;
}

function requireText(parent: Json, key: string, path: string, max: number, min = 1): string {
  if (parent[key] === undefined) {
    return fail(131008, `${path} is required`);
  }
  return checkText(parent[key], path, min, max);
}

function optionalText(parent: Json, key: string, path: string, max: number, min = 0): string | undefined {
  return parent[key] === undefined ? undefined : checkText(parent[key], path, min, max);
}

function parseRecipient(body: Json): SendRecipient {
  const { to, recipient } = body;
  if (to !== undefined && recipient !== undefined) {
    return fail(131009, 'exactly one of to or recipient may be given');
  }
  if (to === undefined && recipient === undefined) {
    return fail(131008, 'to (or recipient) is required');
  }
  if (to !== undefined) {
    const waId = typeof to === 'string' ? phoneDigits(to) : undefined;
    if (waId === undefined) {
      return fail(131009, 'to must be a phone number of 7 to 15 digits (+, spaces, - and () allowed)');
    }
    return { input: to as string, waId };
  }
  if (typeof recipient !== 'string' || !isBsuid(recipient)) {
    return fail(131009, 'recipient must be a business-scoped user ID (CC.<up to 128 alphanumerics>)');
  }
  return { input: recipient, userId: recipient };
}

function checkTextMessage(body: Json): void {
  const text = requireObject(body, 'text', 'text');
  requireText(text, 'body', 'text.body', LIMITS.textBody);
  if (text.preview_url !== undefined && typeof text.preview_url !== 'boolean') {
    fail(131009, 'text.preview_url must be a boolean');
  }
}

function checkMedia(body: Json, type: 'document' | 'image', knownMedia: (id: string) => boolean): void {
  const media = requireObject(body, type, type);
  const { link, id } = media;
  if (link !== undefined && id !== undefined) {
    fail(131009, `exactly one of ${type}.link or ${type}.id may be given`);
  }
  if (link === undefined && id === undefined) {
    fail(131008, `${type}.link or ${type}.id is required`);
  }
  if (link !== undefined) {
    const url = typeof link === 'string' && URL.canParse(link) ? new URL(link) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      fail(131009, `${type}.link must be an http or https URL`);
    }
  }
  if (id !== undefined && (typeof id !== 'string' || !knownMedia(id))) {
    fail(131009, `${type}.id must be the ID of media uploaded to this phone number's account`);
  }
  optionalText(media, 'caption', `${type}.caption`, LIMITS.caption);
  if (media.filename !== undefined && typeof media.filename !== 'string') {
    fail(131009, `${type}.filename must be a string`);
  }
}

function checkHeader(interactive: Json): void {
  const header = optionalObject(interactive, 'header', 'interactive.header');
  if (header === undefined) {
    return;
  }
  const type = header.type;
  if (type === 'text') {
    requireText(header, 'text', 'interactive.header.text', LIMITS.headerText);
  } else if (type === 'image' || type === 'video' || type === 'document') {
    requireObject(header, type, `interactive.header.${type}`);
  } else if (type === undefined) {
    fail(131008, 'interactive.header.type is required');
  } else {
    fail(131009, 'interactive.header.type must be text, image, video or document');
  }
}

function checkButtons(interactive: Json): void {
  requireText(
    requireObject(interactive, 'body', 'interactive.body'),
    'text',
    'interactive.body.text',
    LIMITS.buttonBody,
  );
  const footer = optionalObject(interactive, 'footer', 'interactive.footer');
  if (footer !== undefined) {
    requireText(footer, 'text', 'interactive.footer.text', LIMITS.footer);
  }
  checkHeader(interactive);
  const action = requireObject(interactive, 'action', 'interactive.action');
  const buttons = action.buttons;
  if (buttons === undefined) {
    fail(131008, 'interactive.action.buttons is required');
  }
  if (!Array.isArray(buttons) || buttons.length < LIMITS.buttonsMin || buttons.length > LIMITS.buttonsMax) {
    return fail(131009, `interactive.action.buttons must hold ${LIMITS.buttonsMin} to ${LIMITS.buttonsMax} buttons`);
  }
  const titles = new Set<string>();
  (buttons as unknown[]).forEach((button, index) => {
    const path = `interactive.action.buttons[${index}]`;
    if (!isRecord(button)) {
      fail(131009, `${path} must be an object`);
    }
    if (button.type !== 'reply') {
      fail(button.type === undefined ? 131008 : 131009, `${path}.type must be reply`);
    }
    const reply = requireObject(button, 'reply', `${path}.reply`);
    requireText(reply, 'id', `${path}.reply.id`, LIMITS.buttonId);
    const title = requireText(reply, 'title', `${path}.reply.title`, LIMITS.buttonTitle);
    if (titles.has(title)) {
      fail(131009, `${path}.reply.title must be unique among the buttons`);
    }
    titles.add(title);
  });
}

function checkList(interactive: Json): void {
  requireText(requireObject(interactive, 'body', 'interactive.body'), 'text', 'interactive.body.text', LIMITS.listBody);
  const footer = optionalObject(interactive, 'footer', 'interactive.footer');
  if (footer !== undefined) {
    requireText(footer, 'text', 'interactive.footer.text', LIMITS.footer);
  }
  const header = optionalObject(interactive, 'header', 'interactive.header');
  if (header !== undefined) {
    if (header.type !== 'text') {
      fail(131009, 'interactive.header.type must be text for a list');
    }
    requireText(header, 'text', 'interactive.header.text', LIMITS.headerText);
  }
  const action = requireObject(interactive, 'action', 'interactive.action');
  requireText(action, 'button', 'interactive.action.button', LIMITS.listButton);
  const sections = action.sections;
  if (sections === undefined) {
    fail(131008, 'interactive.action.sections is required');
  }
  if (!Array.isArray(sections) || sections.length < 1 || sections.length > LIMITS.listSections) {
    return fail(131009, `interactive.action.sections must hold 1 to ${LIMITS.listSections} sections`);
  }
  const rowIds = new Set<string>();
  (sections as unknown[]).forEach((section, sectionIndex) => {
    const path = `interactive.action.sections[${sectionIndex}]`;
    if (!isRecord(section)) {
      fail(131009, `${path} must be an object`);
    }
    if (sections.length > 1) {
      requireText(section, 'title', `${path}.title`, LIMITS.listSectionTitle);
    } else {
      optionalText(section, 'title', `${path}.title`, LIMITS.listSectionTitle);
    }
    const rows = section.rows;
    if (!Array.isArray(rows) || rows.length < 1) {
      fail(rows === undefined ? 131008 : 131009, `${path}.rows must hold at least one row`);
    }
    (rows as unknown[]).forEach((row, rowIndex) => {
      const rowPath = `${path}.rows[${rowIndex}]`;
      if (!isRecord(row)) {
        fail(131009, `${rowPath} must be an object`);
      }
      const id = requireText(row, 'id', `${rowPath}.id`, LIMITS.listRowId);
      if (rowIds.has(id)) {
        fail(131009, `${rowPath}.id must be unique in the list`);
      }
      rowIds.add(id);
      requireText(row, 'title', `${rowPath}.title`, LIMITS.listRowTitle);
      optionalText(row, 'description', `${rowPath}.description`, LIMITS.listRowDescription);
    });
  });
  if (rowIds.size > LIMITS.listRows) {
    fail(131009, `interactive.action.sections must hold at most ${LIMITS.listRows} rows in all`);
  }
}

function checkInteractive(body: Json): void {
  const interactive = requireObject(body, 'interactive', 'interactive');
  switch (interactive.type) {
    case 'button':
      return checkButtons(interactive);
    case 'list':
      return checkList(interactive);
    case undefined:
      return fail(131008, 'interactive.type is required');
    default:
      return fail(131009, 'interactive.type must be button or list');
  }
}

function checkTemplate(body: Json): string {
  const template = requireObject(body, 'template', 'template');
  const name = requireText(template, 'name', 'template.name', LIMITS.templateName);
  const language = requireObject(template, 'language', 'template.language');
  requireText(language, 'code', 'template.language.code', 20);
  const components = template.components;
  if (components !== undefined) {
    if (!Array.isArray(components)) {
      fail(131009, 'template.components must be an array');
    }
    (components as unknown[]).forEach((component, index) => {
      if (!isRecord(component) || typeof component.type !== 'string') {
        fail(131009, `template.components[${index}] must be an object with a type`);
      }
    });
  }
  return name;
}

/**
 * The simulator cannot see the template's approved category, so it guesses from the name: marketing-looking names
 * are billed as marketing, the rest as utility. Systems under test only need the two to differ.
 */
export function templateCategory(name: string): PricingCategory {
  return /marketing|promo|offer/i.test(name) ? 'marketing' : 'utility';
}

function checkMarkAsRead(body: Json): MarkAsRead {
  if (body.status !== 'read') {
    fail(131009, 'status must be read');
  }
  const messageId = requireText(body, 'message_id', 'message_id', 512);
  const indicator = optionalObject(body, 'typing_indicator', 'typing_indicator');
  if (indicator !== undefined && indicator.type !== 'text') {
    fail(131009, 'typing_indicator.type must be text');
  }
  return { kind: 'read', messageId };
}

function check(body: unknown, knownMedia: (id: string) => boolean): MessageSend | MarkAsRead {
  if (!isRecord(body)) {
    return fail(100, 'The request body must be a JSON object');
  }
  if (body.messaging_product === undefined) {
    return fail(100, 'messaging_product is required');
  }
  if (body.messaging_product !== 'whatsapp') {
    return fail(100, 'messaging_product must be whatsapp');
  }
  if (body.status !== undefined) {
    return checkMarkAsRead(body);
  }
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    fail(131009, 'recipient_type must be individual');
  }
  const recipient = parseRecipient(body);
  // Meta sends a text message when `type` is left out.
  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    return fail(100, `type must be one of ${MESSAGE_TYPES.join(', ')}`);
  }
  const context = optionalObject(body, 'context', 'context');
  if (context !== undefined) {
    requireText(context, 'message_id', 'context.message_id', 512);
  }
  const callbackData = optionalText(body, 'biz_opaque_callback_data', 'biz_opaque_callback_data', LIMITS.callbackData);
  const messageType = type as MessageType;
  let templateName: string | undefined;
  switch (messageType) {
    case 'text':
      checkTextMessage(body);
      break;
    case 'interactive':
      checkInteractive(body);
      break;
    case 'template':
      templateName = checkTemplate(body);
      break;
    case 'document':
    case 'image':
      checkMedia(body, messageType, knownMedia);
      break;
  }
  return {
    kind: 'message',
    type: messageType,
    recipient,
    ...(callbackData === undefined ? {} : { callbackData }),
    ...(templateName === undefined ? {} : { templateName }),
    category: templateName === undefined ? 'service' : templateCategory(templateName),
  };
}

/**
 * Checks a `POST /{phone-number-id}/messages` body against the documented limits. Details name the field and the
 * limit, never the value (it may be personal data).
 */
export function validateSendBody(body: unknown, knownMedia: (id: string) => boolean): SendValidation {
  try {
    return { ok: true, request: check(body, knownMedia) };
  } catch (error) {
    if (error instanceof Violation) {
      return { ok: false, violation: error.violation };
    }
    throw error;
  }
}
