import { CONSENT_ACTIONS, type ConsentAction } from '@trustline/contracts';
import { stateAfter, type PurposeStateValue } from './purpose-state.rules';

const at = new Date('2026-03-01T12:00:00Z');
const earlier = new Date('2026-02-01T12:00:00Z');

const granted: PurposeStateValue = { state: 'granted', noticeVersion: 2, platformStopped: false, decidedAt: earlier };
const stopped: PurposeStateValue = { ...granted, platformStopped: true };

describe(stateAfter.name, () => {
  describe('the first record of a purpose', () => {
    it.each([
      ['granted', { state: 'granted', noticeVersion: 3, platformStopped: false, decidedAt: at }],
      ['declined', { state: 'declined', noticeVersion: 3, platformStopped: false, decidedAt: at }],
      ['withdrawn', { state: 'withdrawn', noticeVersion: 3, platformStopped: false, decidedAt: at }],
      ['prompted', { state: 'undecided', noticeVersion: null, platformStopped: false, decidedAt: null }],
      ['platform-stopped', { state: 'undecided', noticeVersion: null, platformStopped: true, decidedAt: null }],
      ['platform-resumed', { state: 'undecided', noticeVersion: null, platformStopped: false, decidedAt: null }],
    ] as const)('%s', (action, expected) => {
      expect(stateAfter(undefined, { action, noticeVersion: 3, at })).toEqual(expected);
    });
  });

  it.each(['granted', 'declined', 'withdrawn'] as const)(
    'a decision (%s) sets state, notice and time, and leaves WhatsApp’s own setting alone',
    (action) => {
      expect(stateAfter(stopped, { action, noticeVersion: 4, at })).toEqual({
        state: action,
        noticeVersion: 4,
        platformStopped: true,
        decidedAt: at,
      });
    },
  );

  it('a withdrawal without a notice version records none', () => {
    expect(stateAfter(granted, { action: 'withdrawn', noticeVersion: null, at })).toMatchObject({
      state: 'withdrawn',
      noticeVersion: null,
    });
  });

  it('a prompt leaves a decision as it was', () => {
    expect(stateAfter(granted, { action: 'prompted', noticeVersion: 5, at })).toEqual(granted);
    expect(stateAfter(stopped, { action: 'prompted', noticeVersion: 5, at })).toEqual(stopped);
  });

  it('WhatsApp stop/resume touches only its flag', () => {
    expect(stateAfter(granted, { action: 'platform-stopped', noticeVersion: 9, at })).toEqual(stopped);
    expect(stateAfter(stopped, { action: 'platform-resumed', noticeVersion: 9, at })).toEqual(granted);
    // Repeats change nothing.
    expect(stateAfter(stopped, { action: 'platform-stopped', noticeVersion: 9, at })).toEqual(stopped);
    expect(stateAfter(granted, { action: 'platform-resumed', noticeVersion: 9, at })).toEqual(granted);
  });

  it('replaying a ledger gives its last decision and the last platform setting', () => {
    const ledger: { action: ConsentAction; noticeVersion: number | null }[] = [
      { action: 'prompted', noticeVersion: 1 },
      { action: 'granted', noticeVersion: 1 },
      { action: 'platform-stopped', noticeVersion: 1 },
      { action: 'prompted', noticeVersion: 2 },
      { action: 'withdrawn', noticeVersion: 2 },
      { action: 'granted', noticeVersion: 2 },
    ];
    const state = ledger.reduce<PurposeStateValue | undefined>(
      (before, record) => stateAfter(before, { ...record, at }),
      undefined,
    );
    expect(state).toEqual({ state: 'granted', noticeVersion: 2, platformStopped: true, decidedAt: at });
  });

  it('knows every ledger action', () => {
    for (const action of CONSENT_ACTIONS) {
      expect(stateAfter(undefined, { action, noticeVersion: 1, at })).toBeDefined();
    }
  });
});
