import type { ConsentPurpose, OutboundPurpose } from '@trustline/contracts';

/** The consent purpose an outbound message needs, or the consent flow's own message kinds. */
export function consentPurposeOf(purpose: OutboundPurpose): ConsentPurpose | 'consent-flow' {
  switch (purpose) {
    case 'opt-in-prompt':
    case 'opt-out-confirmation':
    case 'opt-in-confirmation':
      return 'consent-flow';
    case 'conversation':
    case 'agent':
    case 'data-request':
      return 'assistant';
    case 'notification':
      return 'notifications';
    case 'marketing':
      return 'marketing';
  }
}
