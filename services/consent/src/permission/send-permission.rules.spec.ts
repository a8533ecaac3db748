import { CONSENT_STATES, OUTBOUND_PURPOSES, type ConsentPurpose, type OutboundPurpose } from '@trustline/contracts';
import type { SubjectStatus } from '../flow/consent-flow.rules';
import { consentPurposeOf } from './consent-purpose.rules';
import { decideSendPermission, type PermissionFacts, type PurposeFacts } from './send-permission.rules';

const STATUSES: SubjectStatus[] = ['new', 'prompted', 'granted', 'declined', 'opted-out'];
const FLOW: OutboundPurpose[] = ['opt-in-prompt', 'opt-out-confirmation', 'opt-in-confirmation'];
const NEEDS_CONSENT = OUTBOUND_PURPOSES.filter((purpose) => !FLOW.includes(purpose));
const ISSUED = '6f1c1a52-3b0e-4b8f-9a57-1d2b1c0d9e01';
const OTHER = '6f1c1a52-3b0e-4b8f-9a57-1d2b1c0d9e02';

const granted = (purpose: ConsentPurpose, overrides: Partial<PurposeFacts> = {}): PurposeFacts => ({
  purpose,
  state: 'granted',
  noticeCurrent: true,
  platformStopped: false,
  ...overrides,
});

describe(consentPurposeOf.name, () => {
  it.each([
    ['opt-in-prompt', 'consent-flow'],
    ['opt-out-confirmation', 'consent-flow'],
    ['opt-in-confirmation', 'consent-flow'],
    ['conversation', 'assistant'],
    ['agent', 'assistant'],
    ['data-request', 'assistant'],
    ['notification', 'notifications'],
    ['marketing', 'marketing'],
  ] as const)('%s needs %s', (purpose, needed) => {
    expect(consentPurposeOf(purpose)).toBe(needed);
  });

  it('covers every outbound purpose', () => {
    for (const purpose of OUTBOUND_PURPOSES) {
      expect(consentPurposeOf(purpose)).toBeDefined();
    }
  });
});

describe(decideSendPermission.name, () => {
  describe('default deny', () => {
    it.each(OUTBOUND_PURPOSES)('an unknown contact gets no %s message', (purpose) => {
      expect(decideSendPermission(undefined, purpose, ISSUED)).toEqual({ decision: 'deny', reason: 'no-consent' });
    });

    it.each(NEEDS_CONSENT.flatMap((purpose) => STATUSES.map((status) => [purpose, status] as const)))(
      'no %s message to a %s contact without a state for its purpose',
      (purpose, status) => {
        expect(decideSendPermission({ status }, purpose, undefined)).toEqual({
          decision: 'deny',
          reason: status === 'opted-out' ? 'suppressed' : 'no-consent',
        });
      },
    );

    it.each(CONSENT_STATES.filter((state) => state !== 'granted'))('no message on a purpose %s', (state) => {
      const facts: PermissionFacts = { status: 'granted', purposeState: granted('assistant', { state }) };
      expect(decideSendPermission(facts, 'conversation', undefined)).toEqual({
        decision: 'deny',
        reason: 'no-consent',
      });
    });

    it('no message on a grant whose notice asked for less than the current one', () => {
      const facts: PermissionFacts = {
        status: 'granted',
        purposeState: granted('assistant', { noticeCurrent: false }),
      };
      expect(decideSendPermission(facts, 'conversation', undefined)).toEqual({
        decision: 'deny',
        reason: 'no-consent',
      });
    });

    it('no message on the state of another purpose', () => {
      const facts: PermissionFacts = { status: 'granted', purposeState: granted('assistant') };
      expect(decideSendPermission(facts, 'marketing', undefined)).toEqual({ decision: 'deny', reason: 'no-consent' });
      expect(decideSendPermission(facts, 'notification', undefined)).toEqual({
        decision: 'deny',
        reason: 'no-consent',
      });
    });
  });

  describe('purposes that need consent', () => {
    it.each([
      ['conversation', 'assistant'],
      ['agent', 'assistant'],
      ['data-request', 'assistant'],
      ['notification', 'notifications'],
      ['marketing', 'marketing'],
    ] as const)('%s is allowed on a current grant of %s', (purpose, needed) => {
      expect(decideSendPermission({ status: 'granted', purposeState: granted(needed) }, purpose, undefined)).toEqual({
        decision: 'allow',
        basis: 'consent',
      });
    });

    it.each(NEEDS_CONSENT)('%s is suppressed for an opted-out contact, whatever the purpose state', (purpose) => {
      const facts: PermissionFacts = { status: 'opted-out', purposeState: granted(consentPurposeOf(purpose) as never) };
      expect(decideSendPermission(facts, purpose, undefined)).toEqual({ decision: 'deny', reason: 'suppressed' });
    });

    it('a purpose stopped in WhatsApp’s settings is refused as such', () => {
      const facts: PermissionFacts = {
        status: 'granted',
        purposeState: granted('marketing', { platformStopped: true }),
      };
      expect(decideSendPermission(facts, 'marketing', undefined)).toEqual({
        decision: 'deny',
        reason: 'platform-stopped',
      });
    });

    it('suppression wins over a platform stop, and a missing consent over both', () => {
      const stopped = granted('marketing', { platformStopped: true });
      expect(decideSendPermission({ status: 'opted-out', purposeState: stopped }, 'marketing', undefined)).toEqual({
        decision: 'deny',
        reason: 'suppressed',
      });
      const declinedAndStopped = { ...stopped, state: 'declined' as const };
      expect(
        decideSendPermission({ status: 'granted', purposeState: declinedAndStopped }, 'marketing', undefined),
      ).toEqual({ decision: 'deny', reason: 'no-consent' });
    });

    it('statuses other than opted-out rest on the purpose state alone', () => {
      for (const status of STATUSES.filter((s) => s !== 'opted-out')) {
        expect(
          decideSendPermission({ status, purposeState: granted('notifications') }, 'notification', undefined),
        ).toEqual({ decision: 'allow', basis: 'consent' });
      }
    });
  });

  describe('consent’s own flow messages', () => {
    const allowedIn: Record<string, SubjectStatus[]> = {
      // A prompt leaves its contact `prompted`: a decision or an opt-out retires it.
      'opt-in-prompt': ['prompted'],
      'opt-out-confirmation': ['opted-out'],
      'opt-in-confirmation': ['granted'],
    };
    const cases = FLOW.flatMap((purpose) => STATUSES.map((status) => [purpose, status] as const));

    it.each(cases)('%s to a %s contact, for the command consent issued', (purpose, status) => {
      const facts: PermissionFacts = { status, issuedOutboundId: ISSUED, issuedPurpose: purpose };
      const expected = allowedIn[purpose].includes(status)
        ? { decision: 'allow', basis: purpose }
        : { decision: 'deny', reason: status === 'opted-out' ? 'suppressed' : 'no-consent' };
      expect(decideSendPermission(facts, purpose, ISSUED)).toEqual(expected);
    });

    it.each(cases)('%s to a %s contact is refused for any other command', (purpose, status) => {
      const facts: PermissionFacts = { status, issuedOutboundId: ISSUED, issuedPurpose: purpose };
      const reason = status === 'opted-out' ? 'suppressed' : 'no-consent';
      expect(decideSendPermission(facts, purpose, OTHER)).toEqual({ decision: 'deny', reason });
      expect(decideSendPermission(facts, purpose, undefined)).toEqual({ decision: 'deny', reason });
    });

    it('the issued id is good only for the purpose it was issued for', () => {
      const facts: PermissionFacts = {
        status: 'opted-out',
        issuedOutboundId: ISSUED,
        issuedPurpose: 'opt-out-confirmation',
      };
      expect(decideSendPermission(facts, 'opt-out-confirmation', ISSUED)).toEqual({
        decision: 'allow',
        basis: 'opt-out-confirmation',
      });
      expect(decideSendPermission(facts, 'opt-in-prompt', ISSUED)).toEqual({ decision: 'deny', reason: 'suppressed' });
      expect(decideSendPermission(facts, 'opt-in-confirmation', ISSUED)).toEqual({
        decision: 'deny',
        reason: 'suppressed',
      });
    });

    it('nothing was issued: nothing goes', () => {
      for (const purpose of FLOW) {
        expect(decideSendPermission({ status: 'new' }, purpose, ISSUED)).toEqual({
          decision: 'deny',
          reason: 'no-consent',
        });
      }
    });

    it('an issued id never stands in for consent on a conversation message', () => {
      const facts: PermissionFacts = { status: 'prompted', issuedOutboundId: ISSUED, issuedPurpose: 'opt-in-prompt' };
      expect(decideSendPermission(facts, 'conversation', ISSUED)).toEqual({ decision: 'deny', reason: 'no-consent' });
    });
  });
});
