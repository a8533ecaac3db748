import { RECORDABLE_ACTIONS, type ConsentPurpose, type RecordableAction } from '@trustline/contracts';
import type { SubjectStatus } from '../flow/consent-flow.rules';
import { statusAfterRecord } from './recorded-decision.rules';

const STATUSES: SubjectStatus[] = ['new', 'prompted', 'granted', 'declined', 'opted-out'];

describe(statusAfterRecord.name, () => {
  // The assistant purpose is the conversation itself: what is recorded about it moves the contact.
  const withAssistant: Record<RecordableAction, Record<SubjectStatus, SubjectStatus>> = {
    granted: { new: 'granted', prompted: 'granted', granted: 'granted', declined: 'granted', 'opted-out': 'granted' },
    withdrawn: {
      new: 'opted-out',
      prompted: 'opted-out',
      granted: 'opted-out',
      declined: 'opted-out',
      'opted-out': 'opted-out',
    },
    // A decline never lifts a suppression.
    declined: {
      new: 'declined',
      prompted: 'declined',
      granted: 'declined',
      declined: 'declined',
      'opted-out': 'opted-out',
    },
  };

  it.each(RECORDABLE_ACTIONS.flatMap((action) => STATUSES.map((status) => [action, status] as const)))(
    '%s of the assistant, from %s',
    (action, status) => {
      const expected = withAssistant[action][status];
      expect(statusAfterRecord(status, action, ['assistant'])).toBe(expected);
      expect(statusAfterRecord(status, action, ['marketing', 'assistant', 'notifications'])).toBe(expected);
    },
  );

  const others: ConsentPurpose[][] = [['marketing'], ['notifications'], ['marketing', 'notifications']];

  it.each(RECORDABLE_ACTIONS.flatMap((action) => STATUSES.map((status) => [action, status] as const)))(
    '%s of other purposes only, from %s, leaves the contact where they were',
    (action, status) => {
      for (const purposes of others) {
        expect(statusAfterRecord(status, action, purposes)).toBe(status);
      }
    },
  );
});
