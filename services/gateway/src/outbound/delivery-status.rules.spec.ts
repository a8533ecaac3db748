import fc from 'fast-check';
import type { DeliveryStatus } from '../webhook/webhook-payload.rules';
import { advanceOutboundState, type OutboundState } from './delivery-status.rules';

const STATES: OutboundState[] = ['pending', 'sending', 'accepted', 'sent', 'delivered', 'read', 'failed'];
const STATUSES: DeliveryStatus[] = ['sent', 'delivered', 'read', 'played', 'failed'];

/** Every (state, status) pair: rows are states, columns follow STATUSES. */
const TABLE: Record<OutboundState, OutboundState[]> = {
  pending: ['sent', 'delivered', 'read', 'read', 'failed'],
  sending: ['sent', 'delivered', 'read', 'read', 'failed'],
  accepted: ['sent', 'delivered', 'read', 'read', 'failed'],
  sent: ['sent', 'delivered', 'read', 'read', 'failed'],
  delivered: ['delivered', 'delivered', 'read', 'read', 'delivered'],
  read: ['read', 'read', 'read', 'read', 'read'],
  failed: ['failed', 'failed', 'failed', 'failed', 'failed'],
};

const progress = (state: OutboundState): number =>
  ['pending', 'sending', 'accepted', 'sent', 'delivered', 'read'].indexOf(state);

describe('advanceOutboundState', () => {
  it.each(STATES.flatMap((state) => STATUSES.map((status, column) => [state, status, TABLE[state][column]] as const)))(
    '%s + %s → %s',
    (state, status, next) => {
      expect(advanceOutboundState(state, status)).toBe(next);
    },
  );

  it('reaches read whatever order sent, delivered and read arrive in, and with delivered missing', () => {
    const orders: DeliveryStatus[][] = [
      ['sent', 'delivered', 'read'],
      ['read', 'delivered', 'sent'],
      ['delivered', 'read', 'sent'],
      ['sent', 'read'],
      ['read'],
    ];
    for (const order of orders) {
      expect(order.reduce<OutboundState>(advanceOutboundState, 'accepted')).toBe('read');
    }
  });

  it('never regresses, keeps failed final and never fails a delivered message', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATES),
        fc.array(fc.constantFrom(...STATUSES), { maxLength: 12 }),
        (start, events) => {
          let state = start;
          for (const status of events) {
            const next = advanceOutboundState(state, status);
            if (state === 'failed') {
              expect(next).toBe('failed');
            } else if (next !== 'failed') {
              expect(progress(next)).toBeGreaterThanOrEqual(progress(state));
            } else {
              expect(['delivered', 'read']).not.toContain(state);
            }
            state = next;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
