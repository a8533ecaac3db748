import {
  afterFailedAttempt,
  attemptsExhausted,
  deadLetterSubject,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_DELIVER,
  durableName,
  pullSize,
  pullThreshold,
  resolveDelivery,
} from './delivery.rules';

describe('delivery rules', () => {
  describe(resolveDelivery.name, () => {
    it('fills in the platform defaults', () => {
      expect(resolveDelivery({})).toEqual({
        maxDeliver: DEFAULT_MAX_DELIVER,
        backoffMs: DEFAULT_BACKOFF_MS,
        concurrency: DEFAULT_CONCURRENCY,
      });
      expect(DEFAULT_MAX_DELIVER).toBe(5);
    });

    it.each([
      [{ maxDeliver: 0 }, 'maxDeliver'],
      [{ maxDeliver: 1.5 }, 'maxDeliver'],
      [{ concurrency: -1 }, 'concurrency'],
      [{ backoffMs: [] }, 'backoffMs'],
      [{ backoffMs: [10, -1] }, 'backoffMs'],
    ])('rejects %j', (options, field) => {
      expect(() => resolveDelivery(options)).toThrow(field);
    });
  });

  describe(afterFailedAttempt.name, () => {
    const delivery = resolveDelivery({ maxDeliver: 4, backoffMs: [100, 500] });

    it('retries with the backoff of the failed attempt, repeating the last delay', () => {
      expect(afterFailedAttempt(1, delivery)).toEqual({ action: 'retry', delayMs: 100 });
      expect(afterFailedAttempt(2, delivery)).toEqual({ action: 'retry', delayMs: 500 });
      expect(afterFailedAttempt(3, delivery)).toEqual({ action: 'retry', delayMs: 500 });
    });

    it('dead-letters once maxDeliver attempts have failed', () => {
      expect(afterFailedAttempt(4, delivery)).toEqual({ action: 'dead-letter' });
      expect(afterFailedAttempt(9, delivery)).toEqual({ action: 'dead-letter' });
    });

    it('dead-letters after the first failure when maxDeliver is 1', () => {
      expect(afterFailedAttempt(1, resolveDelivery({ maxDeliver: 1 }))).toEqual({ action: 'dead-letter' });
    });
  });

  it('treats a delivery beyond maxDeliver as exhausted (an earlier attempt never reported back)', () => {
    const delivery = resolveDelivery({ maxDeliver: 3 });
    expect(attemptsExhausted(3, delivery)).toBe(false);
    expect(attemptsExhausted(4, delivery)).toBe(true);
  });

  it('names durable consumers and dead-letter subjects after the consumer and the subject', () => {
    expect(durableName('conversation-ai', 'consent.message.admitted.v1')).toBe(
      'conversation-ai--consent_message_admitted_v1',
    );
    expect(deadLetterSubject('audit', 'consent.message.admitted.v1')).toBe(
      'deadletter.audit.consent.message.admitted.v1',
    );
  });

  describe('pull flow control', () => {
    it('pulls all free slots once at least half are free', () => {
      expect(pullSize(0, 16)).toBe(16);
      expect(pullSize(8, 16)).toBe(8);
      expect(pullSize(9, 16)).toBe(0);
      expect(pullThreshold(16)).toBe(8);
    });

    it('pulls one at a time with a single slot', () => {
      expect(pullSize(0, 1)).toBe(1);
      expect(pullSize(1, 1)).toBe(0);
      expect(pullThreshold(1)).toBe(0);
    });

    it('never asks for more than the free slots', () => {
      for (let concurrency = 1; concurrency <= 40; concurrency += 1) {
        for (let inFlight = 0; inFlight <= concurrency; inFlight += 1) {
          const size = pullSize(inFlight, concurrency);
          expect(size + inFlight).toBeLessThanOrEqual(concurrency);
          expect(size > 0).toBe(inFlight <= pullThreshold(concurrency));
        }
      }
    });
  });
});
