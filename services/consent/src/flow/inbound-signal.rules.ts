import { matchConsentKeyword } from '@trustline/compliance';
import type { InboundInteraction, InboundMessageType } from '@trustline/contracts';
import { parseConsentButton } from '../notices/notice-text.rules';
import type { InboundSignal } from './consent-flow.rules';

/**
 * What an inbound message says to consent: a tap on a consent button, an opt-out/opt-in keyword as the whole
 * message (typed, or a template quick-reply whose payload is one, e.g. a marketing template's "STOP"), a system
 * notice from WhatsApp, or anything else.
 */
export function readSignal(
  message: { readonly type: InboundMessageType; readonly interaction?: InboundInteraction | undefined },
  text: string | undefined,
): InboundSignal {
  if (message.type === 'system') {
    return { kind: 'system' };
  }
  const interaction = message.interaction;
  if (interaction?.kind === 'button_reply') {
    const button = parseConsentButton(interaction.id);
    if (button) {
      return { kind: 'consent-button', choice: button.choice, version: button.version };
    }
  }
  const candidate =
    message.type === 'text' ? text : interaction?.kind === 'template_button' ? interaction.id : undefined;
  const keyword = candidate === undefined ? undefined : matchConsentKeyword(candidate);
  if (keyword) {
    return keyword.intent === 'opt-out'
      ? { kind: 'opt-out-keyword', keyword: keyword.keyword }
      : { kind: 'opt-in-keyword', keyword: keyword.keyword };
  }
  return { kind: 'message' };
}
