import type { ConsentAction } from '@trustline/contracts';

export interface PurposeStateValue {
  readonly state: string;
  readonly noticeVersion: number | null;
  readonly platformStopped: boolean;
  readonly decidedAt: Date | null;
}

/**
 * A purpose's state after one more ledger record. Decisions (grant, decline, withdrawal) set the state and the
 * notice it rests on; a prompt leaves a decision alone; WhatsApp's own stop/resume is kept apart from consent.
 */
export function stateAfter(
  before: PurposeStateValue | undefined,
  record: { action: ConsentAction; noticeVersion: number | null; at: Date },
): PurposeStateValue {
  const base: PurposeStateValue = before ?? {
    state: 'undecided',
    noticeVersion: null,
    platformStopped: false,
    decidedAt: null,
  };
  switch (record.action) {
    case 'granted':
    case 'declined':
    case 'withdrawn':
      return { ...base, state: record.action, noticeVersion: record.noticeVersion, decidedAt: record.at };
    case 'prompted':
      return base;
    case 'platform-stopped':
      return { ...base, platformStopped: true };
    case 'platform-resumed':
      return { ...base, platformStopped: false };
  }
}
