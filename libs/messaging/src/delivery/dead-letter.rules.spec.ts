import { ContractViolationError } from '@trustline/contracts';
import { DEAD_LETTER_HEADERS, deadLetterHeaders, describeFailure, parseDeadLetter } from './dead-letter.rules';

class LookupFailedError extends Error {
  override readonly name = 'LookupFailedError';
}

describe('dead-letter rules', () => {
  describe(describeFailure.name, () => {
    it('keeps the class name only: messages may quote personal data', () => {
      const failure = describeFailure(new LookupFailedError('no contact with phone +34 600 000 000'));
      expect(failure).toEqual({ error: 'LookupFailedError' });
    });

    it('keeps a contract violation message, which names fields and constraints only', () => {
      const violation = new ContractViolationError('consent.grant.recorded.v1', [
        { path: 'subjectId', constraints: ['isUuid'] },
      ]);
      expect(describeFailure(violation)).toEqual({
        error: 'ContractViolationError',
        detail: 'consent.grant.recorded.v1 is invalid: subjectId [isUuid]',
      });
    });

    it('describes thrown non-errors by their type and cleans names that could break a header', () => {
      expect(describeFailure('oops')).toEqual({ error: 'string' });
      const odd = new Error('x');
      odd.name = 'Bad\r\nName: value';
      expect(describeFailure(odd).error).toBe('Bad__Name:_value');
    });
  });

  it('adds the dead-letter facts to the original headers and reads them back', () => {
    const headers = deadLetterHeaders(
      { traceparent: '00-abc-def-01', 'Nats-Msg-Id': 'e1', 'x-tenant': 'acme' },
      { subject: 'a.b.c.v1', consumer: 'audit', attempts: 5, failure: { error: 'TypeError' } },
    );
    expect(headers).toEqual({
      traceparent: '00-abc-def-01',
      'x-tenant': 'acme',
      [DEAD_LETTER_HEADERS.subject]: 'a.b.c.v1',
      [DEAD_LETTER_HEADERS.consumer]: 'audit',
      [DEAD_LETTER_HEADERS.attempts]: '5',
      [DEAD_LETTER_HEADERS.error]: 'TypeError',
    });
    expect(parseDeadLetter(headers, '{"id":"e1"}', '2026-01-01T00:00:00.000Z')).toEqual({
      subject: 'a.b.c.v1',
      consumer: 'audit',
      attempts: 5,
      error: 'TypeError',
      body: '{"id":"e1"}',
      headers: { traceparent: '00-abc-def-01', 'x-tenant': 'acme' },
      deadLetteredAt: '2026-01-01T00:00:00.000Z',
    });
  });
});
