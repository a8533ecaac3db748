import type { ConsentPurpose } from '@trustline/contracts';
import type { NoticeVersion } from '../notices/consent-policy';
import {
  decideOnMessage,
  grantIsCurrent,
  promptIsDue,
  samePurposes,
  statusAfter,
  type FlowDecision,
  type InboundSignal,
  type NoticeBook,
  type SubjectSnapshot,
  type SubjectStatus,
} from './consent-flow.rules';

const HOUR = 3_600_000;
const policy = { promptIntervalMs: 24 * HOUR };
const now = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

/** A notice from purposes written `assistant` (required) or `marketing?` (optional). */
function notice(version: number, ...purposes: string[]): NoticeVersion {
  return {
    version,
    purposes: purposes.map((p) => ({
      purpose: p.replace('?', '') as ConsentPurpose,
      required: !p.endsWith('?'),
      lawfulBasis: 'consent',
    })),
  };
}

function book(...notices: NoticeVersion[]): NoticeBook {
  return {
    current: notices[notices.length - 1],
    version: (version) => notices.find((n) => n.version === version),
  };
}

// v1 and v2 ask for the same; v3 adds an optional purpose. The current notice is v3 unless a test says otherwise.
const v1 = notice(1, 'assistant');
const v2 = notice(2, 'assistant');
const v3 = notice(3, 'assistant', 'marketing?');
const notices = book(v1, v2, v3);

const stop: InboundSignal = { kind: 'opt-out-keyword', keyword: 'stop' };
const start: InboundSignal = { kind: 'opt-in-keyword', keyword: 'start' };
const message: InboundSignal = { kind: 'message' };
const system: InboundSignal = { kind: 'system' };
const button = (choice: 'accept' | 'accept-all' | 'decline', version: number): InboundSignal => ({
  kind: 'consent-button',
  choice,
  version,
});

/** Where each status typically stands: prompted a moment ago for the current notice, granted on it, and so on. */
const recentlyPrompted = { lastPromptedAt: ago(HOUR), promptedVersion: 3 };
const dueForPrompt = { lastPromptedAt: ago(25 * HOUR), promptedVersion: 3 };
const grantedOnCurrent = { grantedVersion: 3, grantedPurposes: ['assistant', 'marketing'] as ConsentPurpose[] };
const grantedOnStale = { grantedVersion: 1, grantedPurposes: ['assistant'] as ConsentPurpose[] };

const subjects: Record<string, SubjectSnapshot> = {
  new: { status: 'new', grantedPurposes: [] },
  'prompted (recently)': { status: 'prompted', ...recentlyPrompted, grantedPurposes: [] },
  'prompted (interval passed)': { status: 'prompted', ...dueForPrompt, grantedPurposes: [] },
  'prompted (older notice)': { status: 'prompted', lastPromptedAt: ago(HOUR), promptedVersion: 2, grantedPurposes: [] },
  'granted (current notice)': { status: 'granted', ...recentlyPrompted, ...grantedOnCurrent },
  'granted (stale notice, not yet re-prompted)': {
    status: 'granted',
    lastPromptedAt: ago(HOUR),
    promptedVersion: 1,
    ...grantedOnStale,
  },
  'granted (stale notice, re-prompted recently)': { status: 'granted', ...recentlyPrompted, ...grantedOnStale },
  'declined (recently prompted)': { status: 'declined', ...recentlyPrompted, grantedPurposes: [] },
  'declined (interval passed)': { status: 'declined', ...dueForPrompt, grantedPurposes: [] },
  'opted-out (had granted the current notice)': { status: 'opted-out', ...recentlyPrompted, ...grantedOnCurrent },
  'opted-out (had granted a stale notice)': { status: 'opted-out', ...recentlyPrompted, ...grantedOnStale },
  'opted-out (never granted)': { status: 'opted-out', ...recentlyPrompted, grantedPurposes: [] },
};

const promptHolding: FlowDecision = { action: 'prompt', hold: true };
const promptOnly: FlowDecision = { action: 'prompt', hold: false };
const hold: FlowDecision = { action: 'hold' };
const admit: FlowDecision = { action: 'admit' };
const withdraw: FlowDecision = { action: 'withdraw' };
const ignore = (reason: string): FlowDecision => ({ action: 'ignore', reason }) as FlowDecision;

// The whole matrix: every status against every kind of signal the flow reads. `buttons` is what a tap does:
// `decide` (the current notice's buttons answer it), or the decision for any tap (opted-out contacts need START);
// `stale` is a tap on an older notice that asked for something else.
type Buttons = 'decide' | FlowDecision;
const matrix: [
  subject: string,
  ordinary: FlowDecision,
  optOut: FlowDecision,
  optIn: FlowDecision,
  buttons: Buttons,
  stale: FlowDecision,
][] = [
  ['new', promptHolding, withdraw, promptOnly, 'decide', promptOnly],
  ['prompted (recently)', hold, withdraw, ignore('prompt-pending'), 'decide', ignore('prompt-pending')],
  ['prompted (interval passed)', promptHolding, withdraw, promptOnly, 'decide', promptOnly],
  ['prompted (older notice)', promptHolding, withdraw, promptOnly, 'decide', promptOnly],
  ['granted (current notice)', admit, withdraw, ignore('already-opted-in'), 'decide', ignore('prompt-pending')],
  ['granted (stale notice, not yet re-prompted)', promptHolding, withdraw, promptOnly, 'decide', promptOnly],
  ['granted (stale notice, re-prompted recently)', hold, withdraw, promptOnly, 'decide', ignore('prompt-pending')],
  ['declined (recently prompted)', ignore('declined'), withdraw, promptOnly, 'decide', ignore('prompt-pending')],
  ['declined (interval passed)', promptHolding, withdraw, promptOnly, 'decide', promptOnly],
  [
    'opted-out (had granted the current notice)',
    ignore('suppressed'),
    ignore('already-opted-out'),
    { action: 'restore', version: 3, purposes: ['assistant', 'marketing'] },
    ignore('suppressed'),
    ignore('suppressed'),
  ],
  [
    'opted-out (had granted a stale notice)',
    ignore('suppressed'),
    ignore('already-opted-out'),
    promptOnly,
    ignore('suppressed'),
    ignore('suppressed'),
  ],
  [
    'opted-out (never granted)',
    ignore('suppressed'),
    ignore('already-opted-out'),
    promptOnly,
    ignore('suppressed'),
    ignore('suppressed'),
  ],
];

describe(decideOnMessage.name, () => {
  const decide = (subject: string, signal: InboundSignal, book: NoticeBook = notices) =>
    decideOnMessage(subjects[subject], signal, book, now, policy);

  it('covers every status in the matrix', () => {
    const statuses = new Set(matrix.map(([subject]) => subjects[subject].status));
    expect([...statuses].sort()).toEqual<SubjectStatus[]>(['declined', 'granted', 'new', 'opted-out', 'prompted']);
  });

  describe.each(matrix)('%s', (subject, ordinary, optOut, optIn, buttons, stale) => {
    it('an ordinary message', () => {
      expect(decide(subject, message)).toEqual(ordinary);
    });

    it('an opt-out keyword', () => {
      expect(decide(subject, stop)).toEqual(optOut);
    });

    it('an opt-in keyword', () => {
      expect(decide(subject, start)).toEqual(optIn);
    });

    it('a WhatsApp system message is ignored', () => {
      expect(decide(subject, system)).toEqual(ignore('system-message'));
    });

    // A tap answers the notice it names (the button is the decision's evidence), except after an opt-out.
    it.each([
      ['accept', { action: 'decide', version: 3, granted: ['assistant'], declined: ['marketing'] }],
      ['accept-all', { action: 'decide', version: 3, granted: ['assistant', 'marketing'], declined: [] }],
      ['decline', { action: 'decide', version: 3, granted: [], declined: ['assistant', 'marketing'] }],
    ] as const)('the %s button of the current notice', (choice, expected) => {
      expect(decide(subject, button(choice, 3))).toEqual(buttons === 'decide' ? expected : buttons);
    });

    it('a button of an older notice that asked for something else brings the current notice (within the interval)', () => {
      expect(decide(subject, button('accept', 1))).toEqual(stale);
      expect(decide(subject, button('decline', 2))).toEqual(stale);
    });

    it('a button of a notice version that does not exist is ignored', () => {
      const expected = buttons === 'decide' ? ignore('unknown-notice') : buttons;
      expect(decide(subject, button('accept', 4))).toEqual(expected);
      expect(decide(subject, button('accept-all', 999_999_999))).toEqual(expected);
    });
  });

  describe('buttons of an older notice that asks for what the current one asks for', () => {
    const sameAsBefore = book(notice(1, 'assistant', 'marketing?'), notice(2, 'marketing?', 'assistant'));

    it.each([
      ['accept', { action: 'decide', version: 1, granted: ['assistant'], declined: ['marketing'] }],
      ['accept-all', { action: 'decide', version: 1, granted: ['assistant', 'marketing'], declined: [] }],
      ['decline', { action: 'decide', version: 1, granted: [], declined: ['assistant', 'marketing'] }],
    ] as const)('%s counts, on the version tapped', (choice, expected) => {
      expect(decide('prompted (recently)', button(choice, 1), sameAsBefore)).toEqual(expected);
    });
  });

  it('accept on a notice without optional purposes grants everything it asks for', () => {
    const single = book(notice(1, 'assistant', 'notifications'));
    expect(decide('new', button('accept', 1), single)).toEqual({
      action: 'decide',
      version: 1,
      granted: ['assistant', 'notifications'],
      declined: [],
    });
  });

  describe('the prompt interval', () => {
    const prompted = (lastPromptedAt: Date): SubjectSnapshot => ({
      status: 'prompted',
      lastPromptedAt,
      promptedVersion: 3,
      grantedPurposes: [],
    });

    it.each([
      ['a moment ago', 1, hold],
      ['just under the interval ago', policy.promptIntervalMs - 1, hold],
      ['exactly the interval ago', policy.promptIntervalMs, promptHolding],
      ['longer ago', policy.promptIntervalMs + 1, promptHolding],
    ])('prompted %s: the next message is %j', (_when, elapsed, expected) => {
      expect(decideOnMessage(prompted(ago(elapsed)), message, notices, now, policy)).toEqual(expected);
    });

    it('follows the configured interval (fractions of an hour included)', () => {
      const short = { promptIntervalMs: 0.0005 * HOUR };
      expect(decideOnMessage(prompted(ago(1_000)), message, notices, now, short)).toEqual(hold);
      expect(decideOnMessage(prompted(ago(2_000)), message, notices, now, short)).toEqual(promptHolding);
    });
  });

  describe('a new notice version', () => {
    const granted: SubjectSnapshot = {
      status: 'granted',
      lastPromptedAt: ago(HOUR),
      promptedVersion: 1,
      grantedVersion: 1,
      grantedPurposes: ['assistant'],
    };

    it('that keeps the same purposes does not re-prompt', () => {
      expect(decideOnMessage(granted, message, book(v1, v2), now, policy)).toEqual(admit);
    });

    it('that keeps the same purposes in another order, or with another lawful basis, does not re-prompt', () => {
      const reordered = book(notice(1, 'assistant', 'marketing?'), {
        version: 2,
        purposes: [
          { purpose: 'marketing', required: false, lawfulBasis: 'legitimate-interest' },
          { purpose: 'assistant', required: true, lawfulBasis: 'contract' },
        ],
      });
      expect(decideOnMessage({ ...granted, grantedPurposes: ['assistant'] }, message, reordered, now, policy)).toEqual(
        admit,
      );
    });

    it.each([
      ['adds a purpose', notice(1, 'assistant'), notice(2, 'assistant', 'marketing?')],
      ['removes a purpose', notice(1, 'assistant', 'marketing?'), notice(2, 'assistant')],
      ['makes an optional purpose required', notice(1, 'assistant', 'marketing?'), notice(2, 'assistant', 'marketing')],
    ])('that %s re-prompts at the next message, holding it', (_change, first, next) => {
      expect(decideOnMessage(granted, message, book(first, next), now, policy)).toEqual(promptHolding);
    });

    it('re-prompts a stale grant only once per interval', () => {
      const repromptedForV3 = { ...granted, lastPromptedAt: ago(HOUR), promptedVersion: 3 };
      expect(decideOnMessage(repromptedForV3, message, book(v1, v3), now, policy)).toEqual(hold);
    });

    it('a grant on a version the catalog no longer knows is stale', () => {
      const orphan: SubjectSnapshot = { ...granted, grantedVersion: 7 };
      expect(decideOnMessage(orphan, message, book(v1, v2), now, policy)).toEqual(promptHolding);
    });
  });
});

describe(samePurposes.name, () => {
  it.each([
    ['the same purpose', notice(1, 'assistant'), notice(2, 'assistant'), true],
    [
      'the same purposes in another order',
      notice(1, 'assistant', 'marketing?'),
      notice(2, 'marketing?', 'assistant'),
      true,
    ],
    ['one purpose more', notice(1, 'assistant'), notice(2, 'assistant', 'marketing?'), false],
    ['optional made required', notice(1, 'assistant', 'marketing?'), notice(2, 'assistant', 'marketing'), false],
    ['another optional purpose', notice(1, 'assistant', 'marketing?'), notice(2, 'assistant', 'notifications?'), false],
  ])('%s → %s', (_case, a, b, expected) => {
    expect(samePurposes(a, b)).toBe(expected);
    expect(samePurposes(b, a)).toBe(expected);
  });
});

describe(grantIsCurrent.name, () => {
  it('is false without a grant', () => {
    expect(grantIsCurrent({ status: 'new', grantedPurposes: [] }, notices)).toBe(false);
  });

  it('is true for a grant on a version asking for what the current one asks for', () => {
    expect(grantIsCurrent({ status: 'granted', grantedVersion: 1, grantedPurposes: [] }, book(v1, v2))).toBe(true);
  });

  it('is false for a grant on a version asking for something else, or unknown', () => {
    expect(grantIsCurrent({ status: 'granted', grantedVersion: 1, grantedPurposes: [] }, notices)).toBe(false);
    expect(grantIsCurrent({ status: 'granted', grantedVersion: 9, grantedPurposes: [] }, notices)).toBe(false);
  });
});

describe(promptIsDue.name, () => {
  it('is due when never prompted, or prompted for another version', () => {
    expect(promptIsDue({ status: 'new', grantedPurposes: [] }, notices, now, policy)).toBe(true);
    expect(
      promptIsDue(
        { status: 'prompted', lastPromptedAt: now, promptedVersion: 2, grantedPurposes: [] },
        notices,
        now,
        policy,
      ),
    ).toBe(true);
  });

  it('is not due when the current version was shown within the interval', () => {
    expect(
      promptIsDue(
        { status: 'prompted', lastPromptedAt: now, promptedVersion: 3, grantedPurposes: [] },
        notices,
        now,
        policy,
      ),
    ).toBe(false);
  });
});

describe(statusAfter.name, () => {
  const statuses: SubjectStatus[] = ['new', 'prompted', 'granted', 'declined', 'opted-out'];

  it.each(statuses)('from %s', (status) => {
    const subject: SubjectSnapshot = { status, grantedPurposes: [] };
    expect(statusAfter(subject, withdraw)).toBe('opted-out');
    expect(statusAfter(subject, { action: 'restore', version: 1, purposes: ['assistant'] })).toBe('granted');
    expect(statusAfter(subject, promptHolding)).toBe('prompted');
    expect(statusAfter(subject, promptOnly)).toBe('prompted');
    expect(statusAfter(subject, { action: 'decide', version: 1, granted: ['assistant'], declined: [] })).toBe(
      'granted',
    );
    expect(
      statusAfter(subject, { action: 'decide', version: 1, granted: ['notifications'], declined: ['assistant'] }),
    ).toBe('declined');
    expect(statusAfter(subject, { action: 'decide', version: 1, granted: [], declined: ['assistant'] })).toBe(
      'declined',
    );
    expect(statusAfter(subject, hold)).toBe(status);
    expect(statusAfter(subject, admit)).toBe(status);
    expect(statusAfter(subject, ignore('suppressed'))).toBe(status);
  });

  it('every decision of the matrix leaves the contact where the flow expects', () => {
    // Opt-out always suppresses; opt-in from opted-out never leaves them opted-out.
    for (const [subject, , optOut, optIn] of matrix) {
      const snapshot = subjects[subject];
      expect(statusAfter(snapshot, optOut)).toBe('opted-out');
      if (snapshot.status === 'opted-out') {
        expect(['granted', 'prompted']).toContain(statusAfter(snapshot, optIn));
      }
    }
  });
});
