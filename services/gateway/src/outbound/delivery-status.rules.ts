import type { DeliveryStatus } from '../webhook/webhook-payload.rules';

/**
 * An outbound message's life: pending (queued) → sending (request in flight) → accepted (Meta returned a wamid) →
 * sent → delivered → read, or failed. Status webhooks arrive out of order and twice (reference section 2c).
 */
export type OutboundState = 'pending' | 'sending' | 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

const RANK: Record<Exclude<OutboundState, 'failed'>, number> = {
  pending: 0,
  sending: 1,
  accepted: 2,
  sent: 3,
  delivered: 4,
  read: 5,
};

/** 'played' (first play of a voice message) implies the message was read. */
const STATE_OF: Record<DeliveryStatus, OutboundState> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

/**
 * The state after a status webhook. Never moves backwards (a late 'delivered' after 'read' keeps 'read'; 'read'
 * without 'delivered' is normal). 'failed' is final, except that a message already delivered or read stays so:
 * the user has it, whatever a later failure says.
 */
export function advanceOutboundState(current: OutboundState, status: DeliveryStatus): OutboundState {
  if (current === 'failed') {
    return 'failed';
  }
  const next = STATE_OF[status];
  if (next === 'failed') {
    return current === 'delivered' || current === 'read' ? current : 'failed';
  }
  return RANK[next] > RANK[current] ? next : current;
}
