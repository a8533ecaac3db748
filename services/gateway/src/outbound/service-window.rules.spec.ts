import fc from 'fast-check';
import type { OutboundMessage } from './outbound-message.rules';
import { mayDeliver, SERVICE_WINDOW_MS, windowOpen } from './service-window.rules';

const now = new Date('2026-01-02T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const text: OutboundMessage = { type: 'text', text: 'oi' };
const freeForm: OutboundMessage[] = [
  text,
  { type: 'buttons', body: 'b', buttons: [{ id: 'a', title: 'A' }] },
  { type: 'document', mediaId: '1' },
];
const template: OutboundMessage = { type: 'template', name: 'appointment_reminder', language: 'pt_BR' };

describe('windowOpen', () => {
  it('is 24 hours', () => {
    expect(SERVICE_WINDOW_MS).toBe(86_400_000);
  });

  it.each([
    [0, true],
    [1, true],
    [SERVICE_WINDOW_MS - 1, true],
    [SERVICE_WINDOW_MS, false],
    [SERVICE_WINDOW_MS + 1, false],
    [30 * SERVICE_WINDOW_MS, false],
    [-5_000, true],
  ])('last inbound %i ms ago → open: %p', (elapsed, open) => {
    expect(windowOpen(ago(elapsed), now)).toBe(open);
  });

  it('is closed without an inbound message or with an invalid date', () => {
    expect(windowOpen(undefined, now)).toBe(false);
    expect(windowOpen(new Date(Number.NaN), now)).toBe(false);
    expect(windowOpen(ago(0), new Date(Number.NaN))).toBe(false);
  });

  it('is open exactly when less than 24 h passed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * SERVICE_WINDOW_MS, max: 10 * SERVICE_WINDOW_MS }), (elapsed) => {
        expect(windowOpen(ago(elapsed), now)).toBe(elapsed < SERVICE_WINDOW_MS);
      }),
    );
  });
});

describe('mayDeliver', () => {
  it.each(freeForm)('allows free-form %j only inside the window', (message) => {
    expect(mayDeliver(message, ago(SERVICE_WINDOW_MS - 1), now)).toEqual({ allowed: true });
    expect(mayDeliver(message, ago(SERVICE_WINDOW_MS), now)).toEqual({ allowed: false, reason: 'window-closed' });
    expect(mayDeliver(message, undefined, now)).toEqual({ allowed: false, reason: 'window-closed' });
  });

  it('always allows templates', () => {
    expect(mayDeliver(template, undefined, now)).toEqual({ allowed: true });
    expect(mayDeliver(template, ago(30 * SERVICE_WINDOW_MS), now)).toEqual({ allowed: true });
    expect(mayDeliver(template, ago(0), now)).toEqual({ allowed: true });
  });
});
