import type { ConsentDecisionRecordedV1 } from '@trustline/contracts';
import { holdChangeForDecision } from './consent-hold.rules';

const base: ConsentDecisionRecordedV1 = {
  recordId: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f04',
  subjectRef: 'Y29udGFjdC1yZWYtMDAwMQ',
  purpose: 'assistant',
  action: 'withdrawn',
  noticePurposes: ['assistant'],
  lawfulBasis: 'consent',
  channel: 'api',
  regime: 'eu-gdpr',
  evidence: {},
  recordedAt: '2026-11-25T08:00:00.000Z',
};

describe(holdChangeForDecision.name, () => {
  it('a withdrawal of the assistant holds, a grant lifts, dated by the user’s action when there is one', () => {
    expect(holdChangeForDecision(base)).toEqual({ change: 'hold', at: new Date('2026-11-25T08:00:00.000Z') });
    expect(
      holdChangeForDecision({ ...base, action: 'granted', evidence: { userActedAt: '2026-11-25T07:59:59.000Z' } }),
    ).toEqual({ change: 'lift', at: new Date('2026-11-25T07:59:59.000Z') });
  });

  it.each(['prompted', 'declined', 'platform-stopped', 'platform-resumed'] as const)('%s changes nothing', (action) => {
    expect(holdChangeForDecision({ ...base, action })).toBeUndefined();
  });

  it.each(['marketing', 'notifications'] as const)('a decision about %s changes nothing', (purpose) => {
    expect(holdChangeForDecision({ ...base, purpose })).toBeUndefined();
    expect(holdChangeForDecision({ ...base, purpose, action: 'granted' })).toBeUndefined();
  });
});
