import type { ConsentPurpose } from '@trustline/contracts';
import type { NoticeVersion } from '../notices/consent-policy';
import type { ConsentChoice } from '../notices/notice-text.rules';

/**
 * Where a contact stands in the conversation with consent:
 * - new: never prompted; prompted: shown a notice, no decision yet;
 * - granted / declined: decided on a notice (`decidedVersion`);
 * - opted-out: withdrew (keyword, API or carried over from an erased contact): nothing is sent but the confirmation.
 */
export type SubjectStatus = 'new' | 'prompted' | 'granted' | 'declined' | 'opted-out';

export interface SubjectSnapshot {
  readonly status: SubjectStatus;
  readonly lastPromptedAt?: Date | undefined;
  readonly promptedVersion?: number | undefined;
  /** The notice version of the last grant, and what it granted: an opt-in keyword restores exactly that. */
  readonly grantedVersion?: number | undefined;
  readonly grantedPurposes: readonly ConsentPurpose[];
}

/** What an inbound message means to consent. */
export type InboundSignal =
  | { readonly kind: 'opt-out-keyword'; readonly keyword: string }
  | { readonly kind: 'opt-in-keyword'; readonly keyword: string }
  | { readonly kind: 'consent-button'; readonly choice: ConsentChoice; readonly version: number }
  | { readonly kind: 'message' }
  | { readonly kind: 'system' };

export interface NoticeBook {
  readonly current: NoticeVersion;
  version(version: number): NoticeVersion | undefined;
}

export type FlowDecision =
  /** Record the withdrawal of every purpose, discard held messages, confirm with one message. */
  | { readonly action: 'withdraw' }
  /** Record the earlier grant again (same purposes, same notice) and confirm. */
  | { readonly action: 'restore'; readonly version: number; readonly purposes: readonly ConsentPurpose[] }
  /** Show the current notice; hold the message when `hold`. */
  | { readonly action: 'prompt'; readonly hold: boolean }
  /** Keep the message until they decide; the prompt was shown recently. */
  | { readonly action: 'hold' }
  /** Record the decision on `version`; a grant of the assistant admits the held messages, otherwise they go. */
  | {
      readonly action: 'decide';
      readonly version: number;
      readonly granted: readonly ConsentPurpose[];
      readonly declined: readonly ConsentPurpose[];
    }
  /** Pass the message on to the conversation. */
  | { readonly action: 'admit' }
  | { readonly action: 'ignore'; readonly reason: IgnoreReason };

export type IgnoreReason =
  | 'system-message'
  | 'already-opted-out'
  | 'already-opted-in'
  | 'suppressed'
  | 'unknown-notice'
  | 'declined'
  | 'prompt-pending';

export interface FlowPolicy {
  readonly promptIntervalMs: number;
}

export function samePurposes(a: NoticeVersion, b: NoticeVersion): boolean {
  const key = (notice: NoticeVersion) =>
    notice.purposes
      .map((p) => `${p.purpose}:${p.required ? 'required' : 'optional'}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** A grant still stands when the notice it was given on asks for the same purposes as the current one. */
export function grantIsCurrent(subject: SubjectSnapshot, notices: NoticeBook): boolean {
  if (subject.grantedVersion === undefined) {
    return false;
  }
  const granted = notices.version(subject.grantedVersion);
  return granted !== undefined && samePurposes(granted, notices.current);
}

/** The prompt may be shown (again): never shown, shown for an older notice, or shown long enough ago. */
export function promptIsDue(subject: SubjectSnapshot, notices: NoticeBook, now: Date, policy: FlowPolicy): boolean {
  if (subject.lastPromptedAt === undefined || subject.promptedVersion !== notices.current.version) {
    return true;
  }
  return now.getTime() - subject.lastPromptedAt.getTime() >= policy.promptIntervalMs;
}

/** What consent does with one inbound message, given where the contact stands. */
export function decideOnMessage(
  subject: SubjectSnapshot,
  signal: InboundSignal,
  notices: NoticeBook,
  now: Date,
  policy: FlowPolicy,
): FlowDecision {
  switch (signal.kind) {
    case 'system':
      return { action: 'ignore', reason: 'system-message' };
    case 'opt-out-keyword':
      return subject.status === 'opted-out'
        ? { action: 'ignore', reason: 'already-opted-out' }
        : { action: 'withdraw' };
    case 'opt-in-keyword':
      return decideOnOptIn(subject, notices, now, policy);
    case 'consent-button':
      // After an opt-out only an explicit opt-in keyword brings a contact back (and is confirmed); a tap on an old
      // prompt left in the chat does not.
      return subject.status === 'opted-out'
        ? { action: 'ignore', reason: 'suppressed' }
        : decideOnButton(subject, signal, notices, now, policy);
    case 'message':
      return decideOnOrdinaryMessage(subject, notices, now, policy);
  }
}

function decideOnOptIn(subject: SubjectSnapshot, notices: NoticeBook, now: Date, policy: FlowPolicy): FlowDecision {
  switch (subject.status) {
    case 'opted-out':
      // Coming back restores what they had agreed to, if the notice still asks for the same; otherwise they see
      // the new notice and decide again.
      if (grantIsCurrent(subject, notices) && subject.grantedPurposes.length > 0) {
        return { action: 'restore', version: subject.grantedVersion!, purposes: subject.grantedPurposes };
      }
      return { action: 'prompt', hold: false };
    case 'granted':
      return grantIsCurrent(subject, notices)
        ? { action: 'ignore', reason: 'already-opted-in' }
        : { action: 'prompt', hold: false };
    case 'prompted':
      // An unanswered prompt is in their chat already: only the interval brings it again. The keyword itself is
      // not a message for the conversation, so it is not held.
      return promptIsDue(subject, notices, now, policy)
        ? { action: 'prompt', hold: false }
        : { action: 'ignore', reason: 'prompt-pending' };
    case 'new':
    case 'declined':
      // They ask to start: show the notice (a declined contact decides again).
      return { action: 'prompt', hold: false };
  }
}

function decideOnButton(
  subject: SubjectSnapshot,
  signal: { choice: ConsentChoice; version: number },
  notices: NoticeBook,
  now: Date,
  policy: FlowPolicy,
): FlowDecision {
  const notice = notices.version(signal.version);
  if (notice === undefined) {
    return { action: 'ignore', reason: 'unknown-notice' };
  }
  // A tap on an older prompt counts only if that notice asked for what the current one asks for; otherwise the
  // current notice is shown (within the prompt interval, like any other prompt).
  if (!samePurposes(notice, notices.current)) {
    return promptIsDue(subject, notices, now, policy)
      ? { action: 'prompt', hold: false }
      : { action: 'ignore', reason: 'prompt-pending' };
  }
  const all = notice.purposes.map((p) => p.purpose);
  switch (signal.choice) {
    case 'decline':
      return { action: 'decide', version: notice.version, granted: [], declined: all };
    case 'accept': {
      const required = notice.purposes.filter((p) => p.required).map((p) => p.purpose);
      return {
        action: 'decide',
        version: notice.version,
        granted: required,
        declined: all.filter((p) => !required.includes(p)),
      };
    }
    case 'accept-all':
      return { action: 'decide', version: notice.version, granted: all, declined: [] };
  }
}

function decideOnOrdinaryMessage(
  subject: SubjectSnapshot,
  notices: NoticeBook,
  now: Date,
  policy: FlowPolicy,
): FlowDecision {
  switch (subject.status) {
    case 'opted-out':
      return { action: 'ignore', reason: 'suppressed' };
    case 'granted':
      if (grantIsCurrent(subject, notices)) {
        return { action: 'admit' };
      }
      // The notice changed what it asks for: ask again before processing anything more.
      return promptIsDue(subject, notices, now, policy) ? { action: 'prompt', hold: true } : { action: 'hold' };
    case 'new':
      return { action: 'prompt', hold: true };
    case 'prompted':
      return promptIsDue(subject, notices, now, policy) ? { action: 'prompt', hold: true } : { action: 'hold' };
    case 'declined':
      // They said no: nothing of theirs is kept but the evidence of it. Writing again after the interval is
      // coming back, and they are asked again (that message then waits for the answer).
      return promptIsDue(subject, notices, now, policy)
        ? { action: 'prompt', hold: true }
        : { action: 'ignore', reason: 'declined' };
  }
}

/** The status a decision leaves the contact in. */
export function statusAfter(subject: SubjectSnapshot, decision: FlowDecision): SubjectStatus {
  switch (decision.action) {
    case 'withdraw':
      return 'opted-out';
    case 'restore':
      return 'granted';
    case 'prompt':
      // A contact whose grant went stale is asked again and stands undecided until they answer.
      return 'prompted';
    case 'decide':
      return decision.granted.includes('assistant') ? 'granted' : 'declined';
    case 'hold':
    case 'admit':
    case 'ignore':
      return subject.status;
  }
}
