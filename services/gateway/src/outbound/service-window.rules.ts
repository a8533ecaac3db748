import { isFreeForm, type OutboundMessage } from './outbound-message.rules';

/** The customer service window: 24 h from the user's last message (reference section 4). */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Whether free-form messages may be sent: strictly less than 24 h since the last inbound message. A last inbound
 * time slightly in the future (Meta's clock ahead of ours) counts as open; no inbound message, or an invalid date,
 * as closed.
 */
export function windowOpen(lastInboundAt: Date | undefined, now: Date): boolean {
  if (lastInboundAt === undefined) {
    return false;
  }
  const elapsed = now.getTime() - lastInboundAt.getTime();
  return !Number.isNaN(elapsed) && elapsed < SERVICE_WINDOW_MS;
}

/** Templates may always be sent; anything else only inside the window (else Meta fails it with 131047). */
export function mayDeliver(
  message: OutboundMessage,
  lastInboundAt: Date | undefined,
  now: Date,
): { allowed: true } | { allowed: false; reason: 'window-closed' } {
  return !isFreeForm(message) || windowOpen(lastInboundAt, now)
    ? { allowed: true }
    : { allowed: false, reason: 'window-closed' };
}
