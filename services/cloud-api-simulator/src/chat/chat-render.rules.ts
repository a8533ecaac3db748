export interface ChatButton {
  id: string;
  title: string;
}

/** A business message as the terminal shows it, and the reply buttons it offers (empty when none). */
export interface RenderedMessage {
  lines: string[];
  buttons: ChatButton[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    current = isRecord(current) ? current[key] : undefined;
  }
  return current;
}

function text(value: unknown, ...path: string[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function splitLines(value: string | undefined): string[] {
  return value === undefined ? [] : value.split('\n');
}

/** A template parameter as WhatsApp would fill it in: its text, or the fallback of a currency or date. */
function parameterText(parameter: Json): string {
  return (
    text(parameter, 'text') ??
    text(parameter, 'currency', 'fallback_value') ??
    text(parameter, 'date_time', 'fallback_value') ??
    text(parameter, 'payload') ??
    `<${typeof parameter.type === 'string' ? parameter.type : 'parameter'}>`
  );
}

function renderTemplate(message: Json): string[] {
  const name = text(message, 'template', 'name') ?? '?';
  const language = text(message, 'template', 'language', 'code') ?? '?';
  const lines = [`template ${name} (${language})`];
  for (const component of records(field(message, 'template', 'components'))) {
    const parameters = records(component.parameters);
    const kind = component.type;
    if (kind === 'body' || kind === 'header') {
      parameters.forEach((parameter, index) => lines.push(`  ${kind} {{${index + 1}}} = ${parameterText(parameter)}`));
    } else if (kind === 'button') {
      const index = typeof component.index === 'string' || typeof component.index === 'number' ? component.index : '?';
      parameters.forEach((parameter) => lines.push(`  button ${index}: ${parameterText(parameter)}`));
    }
  }
  return lines;
}

function renderInteractive(message: Json): RenderedMessage {
  const interactive = field(message, 'interactive');
  const lines = [...splitLines(text(interactive, 'header', 'text')), ...splitLines(text(interactive, 'body', 'text'))];
  const footer = text(interactive, 'footer', 'text');
  if (footer !== undefined) {
    lines.push(`  ${footer}`);
  }
  if (text(interactive, 'type') === 'list') {
    lines.push(`(list: ${text(interactive, 'action', 'button') ?? 'options'})`);
    for (const section of records(field(interactive, 'action', 'sections'))) {
      if (typeof section.title === 'string') {
        lines.push(`  ${section.title}`);
      }
      for (const row of records(section.rows)) {
        const description = typeof row.description === 'string' ? ` - ${row.description}` : '';
        lines.push(`  - ${typeof row.title === 'string' ? row.title : '?'}${description}`);
      }
    }
    return { lines, buttons: [] };
  }
  const buttons: ChatButton[] = [];
  for (const button of records(field(interactive, 'action', 'buttons'))) {
    const id = text(button, 'reply', 'id');
    const title = text(button, 'reply', 'title');
    if (id !== undefined && title !== undefined) {
      buttons.push({ id, title });
      lines.push(`[${buttons.length}] ${title}`);
    }
  }
  return { lines, buttons };
}

/** How a message the platform sent looks in the terminal (the Cloud API request body, as /_sim/messages lists it). */
export function renderMessage(message: Json): RenderedMessage {
  const type = typeof message.type === 'string' ? message.type : 'text';
  switch (type) {
    case 'text':
      return { lines: splitLines(text(message, 'text', 'body') ?? ''), buttons: [] };
    case 'interactive':
      return renderInteractive(message);
    case 'template':
      return { lines: renderTemplate(message), buttons: [] };
    case 'document':
      return {
        lines: [
          `document ${text(message, 'document', 'filename') ?? '(no file name)'}`,
          ...splitLines(text(message, 'document', 'caption')),
        ],
        buttons: [],
      };
    case 'image':
      return { lines: ['image', ...splitLines(text(message, 'image', 'caption'))], buttons: [] };
    default:
      return { lines: [`(${type} message)`], buttons: [] };
  }
}

/** What to tell the user about the platform's answer to their message; nothing when it took it (200). */
export function deliveryNotice(status: number): string | undefined {
  if (status === 200) {
    return undefined;
  }
  return status === 0 ? 'the platform did not answer (is it running?)' : `the platform answered HTTP ${status}`;
}
