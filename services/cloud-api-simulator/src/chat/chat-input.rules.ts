import type { ChatButton } from './chat-render.rules';

/** The last message shown, when it offered reply buttons. */
export interface TappableMessage {
  wamid: string;
  buttons: readonly ChatButton[];
}

export type ChatCommand =
  | { kind: 'none' }
  | { kind: 'quit' }
  | { kind: 'help' }
  | { kind: 'text'; text: string }
  | { kind: 'tap'; button: ChatButton; context: string }
  | { kind: 'error'; message: string };

export const CHAT_HELP = [
  'Type a message and press Enter to send it.',
  'When the last message has buttons, type its number (1-3) or /tap <n> to press one.',
  '/help shows this, /quit leaves.',
].join('\n');

function tap(choice: number, tappable: TappableMessage | undefined): ChatCommand {
  if (tappable === undefined) {
    return { kind: 'error', message: 'The last message has no buttons to tap' };
  }
  const button = tappable.buttons[choice - 1];
  if (button === undefined) {
    return { kind: 'error', message: `Choose a button from 1 to ${tappable.buttons.length}` };
  }
  return { kind: 'tap', button, context: tappable.wamid };
}

/** What a typed line asks for. A bare number taps a button only when the last message has that many. */
export function parseChatInput(line: string, tappable: TappableMessage | undefined): ChatCommand {
  const trimmed = line.trim();
  if (trimmed === '') {
    return { kind: 'none' };
  }
  if (trimmed === '/quit' || trimmed === '/exit') {
    return { kind: 'quit' };
  }
  if (trimmed === '/help') {
    return { kind: 'help' };
  }
  const tapCommand = /^\/tap\s+(\d+)$/.exec(trimmed);
  if (tapCommand) {
    return tap(Number(tapCommand[1]), tappable);
  }
  if (trimmed.startsWith('/tap')) {
    return { kind: 'error', message: 'Usage: /tap <button number>' };
  }
  if (
    /^\d$/.test(trimmed) &&
    tappable !== undefined &&
    Number(trimmed) >= 1 &&
    Number(trimmed) <= tappable.buttons.length
  ) {
    return tap(Number(trimmed), tappable);
  }
  return { kind: 'text', text: trimmed };
}
