import { matchConsentKeyword } from '@trustline/compliance';
import type { OutboundPurpose } from '@trustline/contracts';

/** What a keyword message does to the contact's opt-out hold. */
export type HoldChange = 'hold' | 'lift';

/** The parts of an inbound message that can make it a keyword message. */
export interface KeywordCandidate {
  readonly type: string;
  readonly content: { readonly text?: string | undefined };
  readonly interaction?: { readonly kind: string; readonly id: string } | undefined;
}

/**
 * The hold change a message asks for, by the same rule consent applies (`matchConsentKeyword`, a keyword as the whole
 * message): typed text, or a template quick-reply whose payload is a keyword (a marketing template's "STOP" button).
 * Opt-out keywords set the hold, opt-in keywords lift it; anything else leaves it alone.
 */
export function keywordHoldChange(message: KeywordCandidate): HoldChange | undefined {
  const candidate =
    message.type === 'text'
      ? message.content.text
      : message.interaction?.kind === 'template_button'
        ? message.interaction.id
        : undefined;
  const match = candidate === undefined ? undefined : matchConsentKeyword(candidate);
  if (match === undefined) {
    return undefined;
  }
  return match.intent === 'opt-out' ? 'hold' : 'lift';
}

/** One contact's hold change, with when the user sent the message that asked for it. */
export interface DatedHoldChange {
  readonly tenantId: string;
  readonly contactRef: string;
  readonly change: HoldChange;
  readonly sentAt: Date;
}

/**
 * Whether a change applies over the contact's last one (`lastChangedAt`, null when there was none): it must not be
 * older. Meta's timestamps have one-second resolution, so at the same second the hold wins: an opt-in must be strictly
 * newer than the change it undoes (a user caught by that sends the opt-in again), an opt-out need only be as new.
 */
export function holdChangeApplies(change: HoldChange, sentAt: Date, lastChangedAt: Date | null): boolean {
  if (lastChangedAt === null) {
    return true;
  }
  return change === 'hold' ? sentAt >= lastChangedAt : sentAt > lastChangedAt;
}

/** Per contact, the change that decides among several in one batch: the newest, and at the same second the hold. */
export function decisiveHoldChanges(changes: readonly DatedHoldChange[]): DatedHoldChange[] {
  const decisive = new Map<string, DatedHoldChange>();
  for (const change of changes) {
    const key = `${change.tenantId.length}:${change.tenantId}/${change.contactRef}`;
    const current = decisive.get(key);
    if (current === undefined || holdChangeApplies(change.change, change.sentAt, current.sentAt)) {
      decisive.set(key, change);
    }
  }
  return [...decisive.values()];
}

/** What the gateway knows of a contact that can stop a send, whatever consent says. */
export interface ContactHolds {
  readonly suppressed: boolean;
  readonly marketingStopped: boolean;
}

/**
 * Why a send must not go, from the contact's holds: while the opt-out hold is set only the opt-out confirmation goes
 * (`suppressed`); after the user stopped marketing messages on WhatsApp no marketing goes (`marketing-opt-out`).
 */
export function holdRefusal(
  holds: ContactHolds,
  purpose: OutboundPurpose,
): 'suppressed' | 'marketing-opt-out' | undefined {
  if (holds.suppressed && purpose !== 'opt-out-confirmation') {
    return 'suppressed';
  }
  if (holds.marketingStopped && purpose === 'marketing') {
    return 'marketing-opt-out';
  }
  return undefined;
}
