import { PRIVACY_REGIMES, type PrivacyRegime } from '@trustline/contracts';
import fc from 'fast-check';
import {
  CALIFORNIA_AREA_CODES,
  EEA_NON_EU_STATES,
  EU_MEMBER_STATES,
  EU_TERRITORIES_CODED_APART,
  checkTenantRegimePolicy,
  contactRegion,
  countryRegime,
  resolveRegime,
  type ContactRegion,
  type RegimeReason,
  type TenantRegimePolicy,
} from './regime.rules';

// Example numbers only: test ranges, or the libraries' own sample mobile numbers.
describe('contactRegion from the wa_id', () => {
  it.each([
    ['34612345678', { country: 'ES' }],
    ['5511987654321', { country: 'BR' }],
    // Mexico's wa_id keeps the old mobile "1" after 52; libphonenumber calls it invalid but still MX.
    ['5215512345678', { country: 'MX' }],
    ['573001234567', { country: 'CO' }],
    ['5491123456789', { country: 'AR' }],
    ['14155550123', { country: 'US', usState: 'CA' }],
    ['12125550123', { country: 'US' }],
    ['447400123456', { country: 'GB' }],
    // 07700 900xxx is Ofcom's drama range: no country in the metadata, so +44's main country.
    ['447700900123', { country: 'GB' }],
    ['4915112345678', { country: 'DE' }],
    ['14165550123', { country: 'CA' }],
    ['17875550123', { country: 'PR' }],
    ['262692123456', { country: 'RE' }],
    ['+34612345678', { country: 'ES' }],
    [' 34612345678 ', { country: 'ES' }],
  ])('reads %s as %j', (waId, region) => {
    expect(contactRegion({ waId })).toEqual(region);
  });

  it.each([...CALIFORNIA_AREA_CODES])('places area code %s in California', (areaCode) => {
    expect(contactRegion({ waId: `1${areaCode}5550123` })).toEqual({ country: 'US', usState: 'CA' });
  });

  it('places the 2025 overlays (357, 837) in California although the phone metadata does not know them yet', () => {
    expect(contactRegion({ waId: '13572345678' })).toEqual({ country: 'US', usState: 'CA' });
    expect(contactRegion({ waId: '18372345678' })).toEqual({ country: 'US', usState: 'CA' });
  });

  it.each(['12065550123', '17185550123', '13125550123', '17025550123'])(
    'leaves the non-Californian US number %s without a state',
    (waId) => {
      expect(contactRegion({ waId })).toEqual({ country: 'US' });
    },
  );

  it('never gives a state to a non-US NANP number, whatever its area code', () => {
    // 604 is Vancouver, Canada: same +1, another country.
    expect(contactRegion({ waId: '16045550123' })).toEqual({ country: 'CA' });
  });
});

describe('contactRegion from the business-scoped user id', () => {
  it.each([
    ['US.13491208655302741918', { country: 'US' }],
    ['BR.abc123', { country: 'BR' }],
    ['ES.1', { country: 'ES' }],
  ])('reads %s as %j (no state: the id carries only a country)', (userId, region) => {
    expect(contactRegion({ userId })).toEqual(region);
  });

  it('prefers the phone number, which can tell California apart', () => {
    expect(contactRegion({ waId: '14155550123', userId: 'US.13491208655302741918' })).toEqual({
      country: 'US',
      usState: 'CA',
    });
    expect(contactRegion({ waId: '34612345678', userId: 'BR.1' })).toEqual({ country: 'ES' });
  });

  it('falls back to the user id when the wa_id gives no country', () => {
    expect(contactRegion({ waId: 'not-a-number', userId: 'MX.42' })).toEqual({ country: 'MX' });
    expect(contactRegion({ waId: '999', userId: 'MX.42' })).toEqual({ country: 'MX' });
  });

  it.each([
    ['lower-case prefix', 'us.13491208655302741918'],
    ['no dot', 'US13491208655302741918'],
    ['unknown country', 'ZZ.123'],
    ['not a country at all', 'EU.123'],
    ['empty id', 'US.'],
  ])('gives no region for a user id with %s', (_why, userId) => {
    expect(contactRegion({ userId })).toEqual({});
  });

  it.each([
    ['nothing', {}],
    ['letters', { waId: 'abc' }],
    ['too few digits', { waId: '12345' }],
    ['more than E.164 allows', { waId: '1234567890123456' }],
    ['an unassigned calling code', { waId: '8001234567' }],
  ])('gives no region for %s', (_why, identifier) => {
    expect(contactRegion(identifier)).toEqual({});
  });

  it('never throws, and returns only upper-case alpha-2 countries and a state only for US', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 20 })), fc.option(fc.string({ maxLength: 30 })), (waId, userId) => {
        const region = contactRegion({ waId: waId ?? undefined, userId: userId ?? undefined });
        if (region.country !== undefined) {
          expect(region.country).toMatch(/^[A-Z]{2}$/);
        }
        if (region.usState !== undefined) {
          expect(region).toEqual({ country: 'US', usState: 'CA' });
        }
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6,15}$/), (waId) => {
        expect(() => contactRegion({ waId })).not.toThrow();
      }),
    );
  });
});

describe('countryRegime', () => {
  const table: [string, ContactRegion, PrivacyRegime | undefined][] = [
    ...EU_MEMBER_STATES.filter((c) => c !== 'ES').map(
      (country) => [`EU member ${country}`, { country }, 'eu-gdpr'] as [string, ContactRegion, PrivacyRegime],
    ),
    ...EEA_NON_EU_STATES.map(
      (country) => [`EEA member ${country}`, { country }, 'eu-gdpr'] as [string, ContactRegion, PrivacyRegime],
    ),
    ...EU_TERRITORIES_CODED_APART.map(
      (country) => [`EU territory ${country}`, { country }, 'eu-gdpr'] as [string, ContactRegion, PrivacyRegime],
    ),
    ['Spain', { country: 'ES' }, 'es-lopdgdd'],
    ['California', { country: 'US', usState: 'CA' }, 'us-ca-ccpa'],
    ['the rest of the US', { country: 'US' }, undefined],
    ['Brazil', { country: 'BR' }, 'br-lgpd'],
    ['Mexico', { country: 'MX' }, 'mx-lfpdppp'],
    ['Colombia', { country: 'CO' }, 'co-ley1581'],
    ['Argentina', { country: 'AR' }, 'ar-ley25326'],
    ['the UK (not EU since 2020)', { country: 'GB' }, undefined],
    ['Switzerland (not EEA)', { country: 'CH' }, undefined],
    ['Saint-Barthélemy (left the EU in 2012)', { country: 'BL' }, undefined],
    ['Chile', { country: 'CL' }, undefined],
    ['no country', {}, undefined],
  ];

  it.each(table)('%s → %s', (_name, region, regime) => {
    expect(countryRegime(region)).toBe(regime);
  });

  it('lists the 27 member states and the 3 EEA states, each once', () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    expect(new Set(EU_MEMBER_STATES).size).toBe(27);
    expect(EEA_NON_EU_STATES).toEqual(['IS', 'LI', 'NO']);
    expect(EU_MEMBER_STATES.filter((c) => EEA_NON_EU_STATES.includes(c))).toEqual([]);
  });

  it('lists the 41 California area codes, three digits each', () => {
    expect(CALIFORNIA_AREA_CODES.size).toBe(41);
    for (const code of CALIFORNIA_AREA_CODES) {
      expect(code).toMatch(/^[2-9]\d\d$/);
    }
  });
});

describe('resolveRegime', () => {
  const euBusiness: TenantRegimePolicy = { establishment: 'eu-gdpr' };
  const table: [string, ContactRegion, TenantRegimePolicy, PrivacyRegime, RegimeReason][] = [
    // 1. The tenant's override for the contact's country wins over everything.
    [
      'override beats the country regime',
      { country: 'BR' },
      { countryOverrides: { BR: 'eu-gdpr' } },
      'eu-gdpr',
      'tenant-override',
    ],
    [
      'override beats establishment',
      { country: 'CL' },
      { establishment: 'eu-gdpr', countryOverrides: { CL: 'baseline' } },
      'baseline',
      'tenant-override',
    ],
    [
      'a US override covers Californians too',
      { country: 'US', usState: 'CA' },
      { countryOverrides: { US: 'baseline' } },
      'baseline',
      'tenant-override',
    ],
    [
      'a US override covers the rest of the US',
      { country: 'US' },
      { countryOverrides: { US: 'us-ca-ccpa' } },
      'us-ca-ccpa',
      'tenant-override',
    ],
    // 2. The contact's country.
    ['Spain over establishment', { country: 'ES' }, { establishment: 'br-lgpd' }, 'es-lopdgdd', 'contact-country'],
    ['France', { country: 'FR' }, {}, 'eu-gdpr', 'contact-country'],
    ['Norway (EEA)', { country: 'NO' }, {}, 'eu-gdpr', 'contact-country'],
    ['California', { country: 'US', usState: 'CA' }, euBusiness, 'us-ca-ccpa', 'contact-country'],
    ['Brazil', { country: 'BR' }, euBusiness, 'br-lgpd', 'contact-country'],
    ['Mexico', { country: 'MX' }, {}, 'mx-lfpdppp', 'contact-country'],
    ['Colombia', { country: 'CO' }, {}, 'co-ley1581', 'contact-country'],
    ['Argentina', { country: 'AR' }, {}, 'ar-ley25326', 'contact-country'],
    [
      'an override for another country does not apply',
      { country: 'AR' },
      { countryOverrides: { BR: 'eu-gdpr' } },
      'ar-ley25326',
      'contact-country',
    ],
    // 3. The tenant's establishment regime, when the country brings none.
    ['EU business, US contact outside California', { country: 'US' }, euBusiness, 'eu-gdpr', 'tenant-establishment'],
    ['EU business, UK contact', { country: 'GB' }, euBusiness, 'eu-gdpr', 'tenant-establishment'],
    ['EU business, unknown region', {}, euBusiness, 'eu-gdpr', 'tenant-establishment'],
    [
      'Brazilian business, Chilean contact',
      { country: 'CL' },
      { establishment: 'br-lgpd' },
      'br-lgpd',
      'tenant-establishment',
    ],
    // 4. Baseline.
    ['no establishment, Chilean contact', { country: 'CL' }, {}, 'baseline', 'baseline'],
    ['no establishment, unknown region', {}, {}, 'baseline', 'baseline'],
    [
      'overrides only, for other countries',
      { country: 'JP' },
      { countryOverrides: { BR: 'br-lgpd' } },
      'baseline',
      'baseline',
    ],
  ];

  it.each(table)('%s', (_name, region, policy, regime, reason) => {
    expect(resolveRegime(region, policy)).toEqual({ regime, reason });
  });

  it('gives every regime as a tenant override and as an establishment regime', () => {
    for (const regime of PRIVACY_REGIMES) {
      expect(resolveRegime({ country: 'JP' }, { countryOverrides: { JP: regime } })).toEqual({
        regime,
        reason: 'tenant-override',
      });
      expect(resolveRegime({ country: 'JP' }, { establishment: regime })).toEqual({
        regime,
        reason: 'tenant-establishment',
      });
    }
  });

  it('resolves straight from contactRegion', () => {
    expect(resolveRegime(contactRegion({ waId: '34612345678' }), {})).toEqual({
      regime: 'es-lopdgdd',
      reason: 'contact-country',
    });
    expect(resolveRegime(contactRegion({ userId: 'US.13491208655302741918' }), euBusiness)).toEqual({
      regime: 'eu-gdpr',
      reason: 'tenant-establishment',
    });
  });

  it.each([
    [
      'an unknown override regime',
      {},
      { countryOverrides: { BR: 'lgpd' } },
      /countryOverrides\.BR: "lgpd" is not a privacy regime/,
    ],
    ['a lower-case override country', {}, { countryOverrides: { br: 'br-lgpd' } }, /"br" is not an ISO 3166-1 alpha-2/],
    ['an alpha-3 override country', {}, { countryOverrides: { BRA: 'br-lgpd' } }, /"BRA" is not an ISO 3166-1 alpha-2/],
    ['an unknown establishment regime', {}, { establishment: 'gdpr' }, /establishment: "gdpr" is not a privacy regime/],
    ['a lower-case contact country', { country: 'es' }, {}, /contact country must be an ISO 3166-1 alpha-2/],
    ['a state outside the US', { country: 'MX', usState: 'CA' }, {}, /only meaningful as "CA" with country "US"/],
  ] as [string, ContactRegion, unknown, RegExp][])('throws on %s', (_name, region, policy, message) => {
    expect(() => resolveRegime(region, policy as TenantRegimePolicy)).toThrow(message);
  });
});

describe('checkTenantRegimePolicy', () => {
  it.each([
    ['empty', {}],
    ['establishment only', { establishment: 'eu-gdpr' }],
    ['overrides only', { countryOverrides: { US: 'us-ca-ccpa', BR: 'br-lgpd' } }],
    ['both', { establishment: 'baseline', countryOverrides: { XK: 'eu-gdpr' } }],
  ])('accepts a policy with %s', (_name, policy) => {
    expect(checkTenantRegimePolicy(policy)).toEqual([]);
  });

  it('reports every problem at once, naming the field', () => {
    expect(
      checkTenantRegimePolicy({
        establishment: 42,
        countryOverrides: { UK: 'eu-gdpr', es: 'gdpr' },
        regime: 'eu-gdpr',
      }),
    ).toEqual([
      'unknown tenant regime policy field "regime"',
      expect.stringMatching(/^establishment: number is not a privacy regime \(one of eu-gdpr, .*baseline\)$/),
      // UK is the common mistake for GB: not an ISO code.
      'countryOverrides: "UK" is not an ISO 3166-1 alpha-2 country code in upper case',
      'countryOverrides: "es" is not an ISO 3166-1 alpha-2 country code in upper case',
      expect.stringMatching(/^countryOverrides\.es: "gdpr" is not a privacy regime/),
    ]);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'eu-gdpr'],
  ])('rejects %s as a policy', (_name, policy) => {
    expect(checkTenantRegimePolicy(policy)).toEqual(['the tenant regime policy must be an object']);
  });

  it.each([
    ['an array', []],
    ['a string', 'BR'],
    ['null', null],
  ])('rejects countryOverrides given as %s', (_name, countryOverrides) => {
    expect(checkTenantRegimePolicy({ countryOverrides })).toEqual([
      'countryOverrides must be an object of country code → regime',
    ]);
  });
});
