import type { ConsentPurpose, RecordableAction } from '@trustline/contracts';
import type { SubjectStatus } from '../flow/consent-flow.rules';

/**
 * Where a decision recorded through the API leaves the contact. The assistant purpose is the conversation itself:
 * withdrawing it suppresses the contact (nothing more is sent), granting it admits them, declining it is a decline.
 * Decisions about other purposes change only those purposes' state.
 */
export function statusAfterRecord(
  status: SubjectStatus,
  action: RecordableAction,
  purposes: readonly ConsentPurpose[],
): SubjectStatus {
  if (!purposes.includes('assistant')) {
    return status;
  }
  switch (action) {
    case 'withdrawn':
      return 'opted-out';
    case 'granted':
      return 'granted';
    case 'declined':
      return status === 'opted-out' ? 'opted-out' : 'declined';
  }
}
