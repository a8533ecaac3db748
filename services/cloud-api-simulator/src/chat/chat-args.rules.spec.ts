import { DEFAULT_CHAT_FROM, DEFAULT_SIMULATOR_URL, parseChatArgs } from './chat-args.rules';

describe('parseChatArgs', () => {
  it('defaults to the development user and simulator', () => {
    expect(parseChatArgs([], {})).toEqual({
      kind: 'run',
      options: { from: DEFAULT_CHAT_FROM, simulatorUrl: DEFAULT_SIMULATOR_URL },
    });
  });

  it('takes the command line over the environment', () => {
    const env = { CHAT_FROM: '5511900000000', CHAT_NAME: 'Env', SIMULATOR_URL: 'http://env:1' };
    expect(parseChatArgs([], env)).toEqual({
      kind: 'run',
      options: { from: '5511900000000', name: 'Env', simulatorUrl: 'http://env:1' },
    });
    expect(
      parseChatArgs(['--from', '+44 20 7946 0958', '--name', 'Ana', '--simulator', 'http://127.0.0.1:3901/'], env),
    ).toEqual({
      kind: 'run',
      options: { from: '442079460958', name: 'Ana', simulatorUrl: 'http://127.0.0.1:3901' },
    });
  });

  it('asks for help', () => {
    expect(parseChatArgs(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseChatArgs(['-h'], {})).toEqual({ kind: 'help' });
  });

  it.each([
    [['--from', 'ana']],
    [['--simulator', 'ftp://x']],
    [['--simulator', 'not a url']],
    [['--unknown']],
    [['positional']],
    [['--from']],
  ])('rejects %p', (argv) => {
    expect(parseChatArgs(argv, {}).kind).toBe('error');
  });
});
