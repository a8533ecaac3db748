import { parseArgs } from 'node:util';
import { phoneDigits } from '../users/user-id.rules';

export const DEFAULT_CHAT_FROM = '5511987654321';
export const DEFAULT_SIMULATOR_URL = 'http://127.0.0.1:3900';

export interface ChatOptions {
  /** The user's phone number (digits). */
  from: string;
  name?: string;
  simulatorUrl: string;
}

export type ChatArgs = { kind: 'run'; options: ChatOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const CHAT_USAGE = [
  'Usage: npm run chat -- [--from <number>] [--name <profile name>] [--simulator <url>]',
  `  --from        the WhatsApp user you are (default ${DEFAULT_CHAT_FROM}; env CHAT_FROM)`,
  '  --name        profile name sent with your messages (env CHAT_NAME)',
  `  --simulator   Cloud API simulator URL (default ${DEFAULT_SIMULATOR_URL}; env SIMULATOR_URL)`,
].join('\n');

/** Command line first, then environment, then defaults. */
export function parseChatArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ChatArgs {
  let values: { from?: string; name?: string; simulator?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        name: { type: 'string' },
        simulator: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : 'Invalid arguments' };
  }
  if (values.help === true) {
    return { kind: 'help' };
  }
  const from = phoneDigits(values.from ?? env.CHAT_FROM ?? DEFAULT_CHAT_FROM);
  if (from === undefined) {
    return { kind: 'error', message: '--from must be a phone number of 7 to 15 digits' };
  }
  const simulatorUrl = (values.simulator ?? env.SIMULATOR_URL ?? DEFAULT_SIMULATOR_URL).replace(/\/+$/, '');
  if (!URL.canParse(simulatorUrl) || !/^https?:$/.test(new URL(simulatorUrl).protocol)) {
    return { kind: 'error', message: '--simulator must be an http(s) URL' };
  }
  const name = values.name ?? env.CHAT_NAME;
  return {
    kind: 'run',
    options: { from, simulatorUrl, ...(name === undefined || name === '' ? {} : { name }) },
  };
}
