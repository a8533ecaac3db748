import { clearLine, createInterface, cursorTo } from 'node:readline';
import { CHAT_USAGE, parseChatArgs } from './chat-args.rules';
import { CHAT_HELP, parseChatInput, type TappableMessage } from './chat-input.rules';
import { deliveryNotice, renderMessage } from './chat-render.rules';
import { SimulatorChatClient, type InboundResult } from './chat.client';

// `npm run chat`: talk to the running platform as a WhatsApp user, through the simulator. The decisions live in
// the *.rules.ts files beside this one; this is only the terminal and the polling.
const POLL_MS = 500;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

async function main(): Promise<void> {
  const args = parseChatArgs(process.argv.slice(2), process.env);
  if (args.kind === 'help') {
    process.stdout.write(`${CHAT_USAGE}\n`);
    return;
  }
  if (args.kind === 'error') {
    process.stderr.write(`${args.message}\n${CHAT_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const { from, name, simulatorUrl } = args.options;
  const client = new SimulatorChatClient(simulatorUrl, { from, ...(name === undefined ? {} : { name }) });
  const seen = new Set<string>();
  let tappable: TappableMessage | undefined;
  let simulatorDown = false;
  try {
    // What was sent before this session is history: do not replay it.
    for (const message of await client.messages()) {
      seen.add(String(message.id));
    }
  } catch (error) {
    simulatorDown = true;
    process.stdout.write(`Simulator not reachable at ${simulatorUrl} (${reason(error)}); will keep trying.\n`);
  }
  process.stdout.write(`Chatting as +${from} through ${simulatorUrl}. /help for commands, /quit to leave.\n`);

  // Created only now, so that no typed line is read (and lost) before its handler is attached.
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
  const print = (lines: readonly string[]): void => {
    clearLine(process.stdout, 0);
    cursorTo(process.stdout, 0);
    process.stdout.write(`${lines.join('\n')}\n`);
    rl.prompt(true);
  };

  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling) {
      return;
    }
    polling = true;
    try {
      const messages = await client.messages();
      if (simulatorDown) {
        simulatorDown = false;
        print(['(simulator reachable again)']);
      }
      for (const message of messages) {
        const id = String(message.id);
        if (seen.has(id)) {
          continue;
        }
        seen.add(id);
        const rendered = renderMessage(message);
        tappable = rendered.buttons.length > 0 ? { wamid: id, buttons: rendered.buttons } : undefined;
        print(rendered.lines.map((line) => `< ${line}`));
      }
    } catch (error) {
      if (!simulatorDown) {
        simulatorDown = true;
        print([`(simulator not reachable: ${reason(error)})`]);
      }
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), POLL_MS);

  const send = async (result: Promise<InboundResult>): Promise<void> => {
    try {
      const notice = deliveryNotice((await result).status);
      if (notice !== undefined) {
        print([`! ${notice}`]);
      }
    } catch (error) {
      print([`! could not send: ${reason(error)}`]);
    }
  };

  rl.on('line', (line) => {
    const command = parseChatInput(line, tappable);
    switch (command.kind) {
      case 'none':
        rl.prompt();
        return;
      case 'quit':
        rl.close();
        return;
      case 'help':
        print(CHAT_HELP.split('\n'));
        return;
      case 'error':
        print([`! ${command.message}`]);
        return;
      case 'text':
        void send(client.sendText(command.text)).then(() => rl.prompt());
        return;
      case 'tap':
        print([`(tapped: ${command.button.title})`]);
        tappable = undefined;
        void send(client.tap(command.button, command.context)).then(() => rl.prompt());
        return;
    }
  });
  rl.on('close', () => {
    clearInterval(timer);
    process.stdout.write('\n');
  });
  rl.prompt();
}

main().catch((error: unknown) => {
  process.stderr.write(`chat: ${reason(error)}\n`);
  process.exitCode = 1;
});
