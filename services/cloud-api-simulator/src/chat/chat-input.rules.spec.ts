import { parseChatInput, type TappableMessage } from './chat-input.rules';

const tappable: TappableMessage = {
  wamid: 'wamid.OUT7',
  buttons: [
    { id: 'confirm', title: 'Confirmar' },
    { id: 'reschedule', title: 'Remarcar' },
  ],
};

describe('parseChatInput', () => {
  it('sends typed text, trimmed', () => {
    expect(parseChatInput('  Oi, tudo bem?  ', undefined)).toEqual({ kind: 'text', text: 'Oi, tudo bem?' });
  });

  it('ignores blank lines', () => {
    expect(parseChatInput('   ', tappable)).toEqual({ kind: 'none' });
  });

  it('quits and helps', () => {
    expect(parseChatInput('/quit', undefined)).toEqual({ kind: 'quit' });
    expect(parseChatInput('/exit', undefined)).toEqual({ kind: 'quit' });
    expect(parseChatInput('/help', undefined)).toEqual({ kind: 'help' });
  });

  it('taps a button by number, with the message as context', () => {
    expect(parseChatInput('2', tappable)).toEqual({
      kind: 'tap',
      button: { id: 'reschedule', title: 'Remarcar' },
      context: 'wamid.OUT7',
    });
    expect(parseChatInput('/tap 1', tappable)).toEqual({
      kind: 'tap',
      button: { id: 'confirm', title: 'Confirmar' },
      context: 'wamid.OUT7',
    });
  });

  it('sends a number as text when there is no such button', () => {
    expect(parseChatInput('1', undefined)).toEqual({ kind: 'text', text: '1' });
    expect(parseChatInput('3', tappable)).toEqual({ kind: 'text', text: '3' });
    expect(parseChatInput('0', tappable)).toEqual({ kind: 'text', text: '0' });
    expect(parseChatInput('12', tappable)).toEqual({ kind: 'text', text: '12' });
  });

  it('explains a /tap that cannot be done', () => {
    expect(parseChatInput('/tap 1', undefined)).toEqual({
      kind: 'error',
      message: 'The last message has no buttons to tap',
    });
    expect(parseChatInput('/tap 3', tappable)).toEqual({ kind: 'error', message: 'Choose a button from 1 to 2' });
    expect(parseChatInput('/tap x', tappable)).toEqual({ kind: 'error', message: 'Usage: /tap <button number>' });
  });
});
