import type {
  ConsentPurpose,
  ConsentState,
  OutboundPurpose,
  SendDecision,
  SendDenialReason,
} from '@trustline/contracts';
import type { SubjectStatus } from '../flow/consent-flow.rules';
import { consentPurposeOf } from './consent-purpose.rules';

/** What the check reads: the contact's standing and the one purpose's state. */
export interface PermissionFacts {
  readonly status: SubjectStatus;
  /** The last message consent itself issued for this contact (prompt or confirmation). */
  readonly issuedOutboundId?: string | undefined;
  readonly issuedPurpose?: string | undefined;
  readonly purposeState?: PurposeFacts | undefined;
}

export interface PurposeFacts {
  readonly purpose: ConsentPurpose;
  readonly state: ConsentState;
  /** The grant rests on a notice that asks for what the current one asks for. */
  readonly noticeCurrent: boolean;
  readonly platformStopped: boolean;
}

export interface Permission {
  readonly decision: SendDecision;
  readonly reason?: SendDenialReason;
  readonly basis?: string;
}

/** The flow message each status warrants: a prompt to the undecided, a confirmation to who just changed their mind. */
const FLOW_MESSAGE_STATUS: Readonly<Record<string, readonly SubjectStatus[]>> = {
  // Every prompt leaves its contact `prompted` until they answer: a decision (or an opt-out) retires it.
  'opt-in-prompt': ['prompted'],
  'opt-out-confirmation': ['opted-out'],
  'opt-in-confirmation': ['granted'],
};

/**
 * May this message go out now? Default-deny: an unknown contact, an unknown purpose state, a stale notice or a
 * suppression all refuse. Prompts and confirmations go only when consent issued that very command (by outbound id)
 * and the contact still stands where it did.
 */
export function decideSendPermission(
  facts: PermissionFacts | undefined,
  purpose: OutboundPurpose,
  outboundId: string | undefined,
): Permission {
  if (facts === undefined) {
    return { decision: 'deny', reason: 'no-consent' };
  }
  const needed = consentPurposeOf(purpose);
  if (needed === 'consent-flow') {
    const issued = outboundId !== undefined && facts.issuedOutboundId === outboundId && facts.issuedPurpose === purpose;
    if (issued && FLOW_MESSAGE_STATUS[purpose]?.includes(facts.status)) {
      return { decision: 'allow', basis: purpose };
    }
    return { decision: 'deny', reason: facts.status === 'opted-out' ? 'suppressed' : 'no-consent' };
  }
  if (facts.status === 'opted-out') {
    return { decision: 'deny', reason: 'suppressed' };
  }
  const state = facts.purposeState;
  if (state === undefined || state.purpose !== needed || state.state !== 'granted' || !state.noticeCurrent) {
    return { decision: 'deny', reason: 'no-consent' };
  }
  if (state.platformStopped) {
    return { decision: 'deny', reason: 'platform-stopped' };
  }
  return { decision: 'allow', basis: 'consent' };
}
