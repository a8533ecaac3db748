import { contracts, validateEvent } from '@trustline/contracts';
import { webhookEventId } from './webhook-event-id.rules';

describe('webhookEventId', () => {
  const digest = 'a'.repeat(64);

  it('is stable for the same bytes and number, and differs across numbers and bodies', () => {
    expect(webhookEventId(digest, '100000000000001')).toBe(webhookEventId(digest, '100000000000001'));
    expect(webhookEventId(digest, '100000000000002')).not.toBe(webhookEventId(digest, '100000000000001'));
    expect(webhookEventId('b'.repeat(64), '100000000000001')).not.toBe(webhookEventId(digest, '100000000000001'));
  });

  it('is a version-8 UUID the envelope accepts', () => {
    const id = webhookEventId(digest, '100000000000001');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(() =>
      validateEvent(contracts, 'gateway.sending.halted.v1', {
        id,
        occurredAt: '2026-11-25T08:00:00.000Z',
        producer: 'gateway',
        tenantId: 'dev',
        data: { errorCode: 368, haltedAt: '2026-11-25T08:00:00.000Z' },
      }),
    ).not.toThrow();
  });
});
