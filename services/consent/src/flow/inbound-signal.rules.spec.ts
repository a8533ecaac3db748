import type { InboundInteraction, InboundMessageType } from '@trustline/contracts';
import fc from 'fast-check';
import { consentButtonId } from '../notices/notice-text.rules';
import { readSignal } from './inbound-signal.rules';

const text = (body: string | undefined) => readSignal({ type: 'text' }, body);
const tapped = (kind: InboundInteraction['kind'], id: string, type: InboundMessageType = 'interactive') =>
  readSignal({ type, interaction: { kind, id } }, undefined);

describe(readSignal.name, () => {
  describe('consent buttons', () => {
    it.each([
      ['accept', 1],
      ['accept-all', 2],
      ['decline', 123_456_789],
    ] as const)('a tap on %s of notice %d', (choice, version) => {
      expect(tapped('button_reply', consentButtonId(choice, version))).toEqual({
        kind: 'consent-button',
        choice,
        version,
      });
    });

    it('only reply buttons are consent buttons: a list row or a template button with the same id is not', () => {
      expect(tapped('list_reply', consentButtonId('accept', 1))).toEqual({ kind: 'message' });
      expect(tapped('template_button', consentButtonId('accept', 1), 'button')).toEqual({ kind: 'message' });
    });

    it('a reply button that is not consent’s is an ordinary message, even if its id is a keyword', () => {
      expect(tapped('button_reply', 'book-appointment')).toEqual({ kind: 'message' });
      expect(tapped('button_reply', 'STOP')).toEqual({ kind: 'message' });
      expect(tapped('button_reply', 'consent:accept:0')).toEqual({ kind: 'message' });
    });
  });

  describe('keywords as whole text messages', () => {
    it.each([
      ['STOP', 'stop'],
      ['  stop  ', 'stop'],
      ['Stop!', 'stop'],
      ['🛑 STOP 🛑', 'stop'],
      ['ＳＴＯＰ', 'stop'],
      ['opt-out', 'optout'],
      ['Baja', 'baja'],
      ['PÁRAR', 'parar'],
      ['Sair.', 'sair'],
      ['descadastrar', 'descadastrar'],
    ])('%j opts out', (body, keyword) => {
      expect(text(body)).toEqual({ kind: 'opt-out-keyword', keyword });
    });

    it.each([
      ['START', 'start'],
      ['unstop', 'unstop'],
      ['Alta', 'alta'],
      ['VOLTAR 👋', 'voltar'],
    ])('%j opts in', (body, keyword) => {
      expect(text(body)).toEqual({ kind: 'opt-in-keyword', keyword });
    });

    it.each([
      'please stop sending me offers',
      'stop by tomorrow?',
      'quiero darme de baja',
      'STOP 2',
      'stopp',
      'start the booking',
      '',
    ])('%j is an ordinary message', (body) => {
      expect(text(body)).toEqual({ kind: 'message' });
    });

    it('a text message without text is an ordinary message', () => {
      expect(text(undefined)).toEqual({ kind: 'message' });
    });

    it('a caption is not a whole text message: an image captioned STOP is an ordinary message', () => {
      expect(readSignal({ type: 'image' }, 'STOP')).toEqual({ kind: 'message' });
      expect(readSignal({ type: 'interactive', interaction: { kind: 'button_reply', id: 'x' } }, 'STOP')).toEqual({
        kind: 'message',
      });
    });
  });

  describe('template quick-reply payloads', () => {
    it('a marketing template’s STOP button opts out, and its START button opts in', () => {
      expect(tapped('template_button', 'STOP', 'button')).toEqual({ kind: 'opt-out-keyword', keyword: 'stop' });
      expect(tapped('template_button', 'Stop promotions', 'button')).toEqual({ kind: 'message' });
      expect(tapped('template_button', 'START', 'button')).toEqual({ kind: 'opt-in-keyword', keyword: 'start' });
    });

    it('a list row whose id is a keyword is not one', () => {
      expect(tapped('list_reply', 'STOP')).toEqual({ kind: 'message' });
    });
  });

  describe('system messages', () => {
    it('are system, whatever they carry', () => {
      expect(readSignal({ type: 'system' }, 'STOP')).toEqual({ kind: 'system' });
      expect(
        readSignal({ type: 'system', interaction: { kind: 'button_reply', id: consentButtonId('accept', 1) } }, 'x'),
      ).toEqual({ kind: 'system' });
    });
  });

  it('never reads a keyword out of a sentence around it (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('STOP', 'stop', 'Baja', 'SAIR', 'cancelar', 'START', 'alta', 'voltar'),
        fc.string({ maxLength: 40 }),
        (keyword, rest) => {
          expect(text(`please ${keyword} ${rest}`)).toEqual({ kind: 'message' });
          expect(text(`${rest} ${keyword} now please`)).toEqual({ kind: 'message' });
        },
      ),
    );
  });
});
