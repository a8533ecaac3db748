import type { ConsentDecisionRecordedV1 } from '@trustline/contracts';
import type { HoldChange } from '../contacts/contact-hold.rules';

/**
 * What a consent ledger record means for the gateway's opt-out hold, so the hold follows the ledger whatever the
 * channel (keyword, API, an erased contact's tombstone): a withdrawal of the assistant purpose (the conversation
 * itself) sets it, a grant of it lifts it. Dated by when the user acted (their message's time) when there is one, so
 * it orders with the keyword changes the intake applies; otherwise by when consent recorded it.
 */
export function holdChangeForDecision(record: ConsentDecisionRecordedV1): { change: HoldChange; at: Date } | undefined {
  if (record.purpose !== 'assistant' || (record.action !== 'withdrawn' && record.action !== 'granted')) {
    return undefined;
  }
  return {
    change: record.action === 'withdrawn' ? 'hold' : 'lift',
    at: new Date(record.evidence.userActedAt ?? record.recordedAt),
  };
}
