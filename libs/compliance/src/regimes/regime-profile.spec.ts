import { PRIVACY_REGIMES, type PrivacyRegime } from '@trustline/contracts';
import { REGIME_PROFILES, type RegimeDeadline } from './regime-profile';

describe('REGIME_PROFILES', () => {
  it('has exactly one profile per privacy regime', () => {
    expect(Object.keys(REGIME_PROFILES).sort()).toEqual([...PRIVACY_REGIMES].sort());
  });

  // The access deadlines of regulations.md §1 (and the platform's own choice for baseline).
  it.each([
    ['eu-gdpr', { amount: 1, unit: 'calendar-months' }, { amount: 2, unit: 'calendar-months' }],
    ['es-lopdgdd', { amount: 1, unit: 'calendar-months' }, { amount: 2, unit: 'calendar-months' }],
    ['us-ca-ccpa', { amount: 45, unit: 'calendar-days' }, { amount: 45, unit: 'calendar-days' }],
    ['br-lgpd', { amount: 15, unit: 'calendar-days', unqualifiedDays: true }, undefined],
    [
      'mx-lfpdppp',
      { amount: 20, unit: 'calendar-days', unqualifiedDays: true },
      { amount: 20, unit: 'calendar-days', unqualifiedDays: true },
    ],
    ['co-ley1581', { amount: 10, unit: 'business-days' }, { amount: 5, unit: 'business-days' }],
    ['ar-ley25326', { amount: 10, unit: 'calendar-days' }, undefined],
    ['baseline', { amount: 1, unit: 'calendar-months' }, undefined],
  ] as [PrivacyRegime, RegimeDeadline, RegimeDeadline | undefined][])(
    '%s: answer within %j, extension %j',
    (regime, deadline, extension) => {
      expect(REGIME_PROFILES[regime].dataSubjectRightsDeadline).toEqual(deadline);
      expect(REGIME_PROFILES[regime].extension).toEqual(extension);
    },
  );

  it.each([
    ['eu-gdpr', /supervisory authority/],
    ['es-lopdgdd', /^AEPD/],
    ['us-ca-ccpa', /^CPPA .*Attorney General/],
    ['br-lgpd', /^ANPD/],
    ['mx-lfpdppp', /^SABG/],
    ['co-ley1581', /^SIC/],
    ['ar-ley25326', /^AAIP/],
  ] as [PrivacyRegime, RegExp][])('%s is enforced by %s', (regime, authority) => {
    expect(REGIME_PROFILES[regime].authority).toMatch(authority);
  });

  it('flags as unverified only what the notes could not confirm (Mexico 2025), and says what', () => {
    const unverified = PRIVACY_REGIMES.filter((regime) => !REGIME_PROFILES[regime].verified);
    expect(unverified).toEqual(['mx-lfpdppp']);
    expect(REGIME_PROFILES['mx-lfpdppp'].unverified?.length).toBeGreaterThan(0);
    for (const regime of PRIVACY_REGIMES.filter((r) => REGIME_PROFILES[r].verified)) {
      expect(REGIME_PROFILES[regime].unverified).toBeUndefined();
    }
  });

  it('gives every profile a name, law and consent model, and a positive whole deadline', () => {
    for (const regime of PRIVACY_REGIMES) {
      const profile = REGIME_PROFILES[regime];
      expect(profile.name).not.toBe('');
      expect(profile.law).not.toBe('');
      expect(profile.consentModel).not.toBe('');
      for (const deadline of [profile.dataSubjectRightsDeadline, profile.extension]) {
        if (deadline) {
          expect(Number.isInteger(deadline.amount) && deadline.amount > 0).toBe(true);
        }
      }
    }
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(REGIME_PROFILES)).toBe(true);
    expect(Object.isFrozen(REGIME_PROFILES['eu-gdpr'])).toBe(true);
    expect(Object.isFrozen(REGIME_PROFILES['eu-gdpr'].dataSubjectRightsDeadline)).toBe(true);
    expect(Object.isFrozen(REGIME_PROFILES['mx-lfpdppp'].unverified)).toBe(true);
  });
});
