import { PRIVACY_REGIMES, type PrivacyRegime } from '@trustline/contracts';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Which privacy regime governs a conversation with a contact: from the contact's region (read from the WhatsApp
 * identifiers, never asked for) and the tenant's policy. The region is a hint, not a residence check — a number
 * keeps its country code when its owner moves — so the tenant can override it per country and is bound by its own
 * establishment regime wherever the contact is.
 */

/** Where a contact probably is. `country` is ISO 3166-1 alpha-2 (upper case); `usState` is set only for California. */
export interface ContactRegion {
  readonly country?: string;
  readonly usState?: 'CA';
}

/** The WhatsApp identifiers of a contact: `wa_id` (E.164 digits without `+`) and/or the business-scoped user id. */
export interface ContactIdentifier {
  readonly waId?: string;
  readonly userId?: string;
}

export interface TenantRegimePolicy {
  /** The regime the tenant itself is bound by where it is established (e.g. an EU business: GDPR Art 3(1)). */
  readonly establishment?: PrivacyRegime;
  /** Per contact country (ISO 3166-1 alpha-2), the regime the tenant applies instead of the country's own. */
  readonly countryOverrides?: Readonly<Record<string, PrivacyRegime>>;
}

export type RegimeReason = 'contact-country' | 'tenant-override' | 'tenant-establishment' | 'baseline';

export interface ResolvedRegime {
  readonly regime: PrivacyRegime;
  readonly reason: RegimeReason;
}

/** The 27 EU member states (Spain is resolved to its own, stricter regime first; see COUNTRY_REGIMES). */
export const EU_MEMBER_STATES: readonly string[] = Object.freeze([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

/** EEA members outside the EU: the GDPR applies there through the EEA Agreement. */
export const EEA_NON_EU_STATES: readonly string[] = Object.freeze(['IS', 'LI', 'NO']);

/**
 * Parts of member states that ISO 3166 (and so the phone metadata) codes separately, but that are inside the EU
 * (outermost regions, TFEU Art 349, and Åland): a Réunion number is `RE`, not `FR`. Saint-Barthélemy (`BL`) left
 * the EU in 2012 and is not here.
 */
export const EU_TERRITORIES_CODED_APART: readonly string[] = Object.freeze(['AX', 'GF', 'GP', 'MF', 'MQ', 'RE', 'YT']);

/**
 * California's area codes (41, as of the 2025 overlays 738, 837 and 357). Only a hint: numbers are portable and
 * keep their area code when their owner moves, so a 415 number may be anywhere and a Californian may have any
 * area code. The tenant's country override and establishment regime exist for the cases the hint gets wrong.
 */
export const CALIFORNIA_AREA_CODES: ReadonlySet<string> = new Set([
  '209',
  '213',
  '279',
  '310',
  '323',
  '341',
  '350',
  '357',
  '369',
  '408',
  '415',
  '424',
  '442',
  '510',
  '530',
  '559',
  '562',
  '619',
  '626',
  '628',
  '650',
  '657',
  '661',
  '669',
  '707',
  '714',
  '738',
  '747',
  '760',
  '805',
  '818',
  '820',
  '831',
  '837',
  '840',
  '858',
  '909',
  '916',
  '925',
  '949',
  '951',
]);

/** Countries with a regime of their own; the EU/EEA list above maps to `eu-gdpr`. */
const COUNTRY_REGIMES: ReadonlyMap<string, PrivacyRegime> = new Map<string, PrivacyRegime>([
  ...[...EU_MEMBER_STATES, ...EEA_NON_EU_STATES, ...EU_TERRITORIES_CODED_APART].map(
    (country) => [country, 'eu-gdpr'] as const,
  ),
  // Spain applies the GDPR plus the LOPDGDD (age of consent 14, extra DPO cases): the more specific regime wins.
  ['ES', 'es-lopdgdd'],
  ['BR', 'br-lgpd'],
  ['MX', 'mx-lfpdppp'],
  ['CO', 'co-ley1581'],
  ['AR', 'ar-ley25326'],
]);

// Meta's wa_id is the E.164 number without `+` (the `+` is tolerated); E.164 has at most 15 digits.
const WA_ID = /^\+?(\d{6,15})$/;
// A business-scoped user id: two-letter country, dot, opaque id (`US.13491208655302741918`).
const BSUID = /^([A-Z]{2})\.[A-Za-z0-9]{1,128}$/;
const ALPHA_2 = /^[A-Z]{2}$/;

/**
 * The contact's probable region: the phone number's country from the wa_id (California from the area code), else
 * the country prefix of the business-scoped user id, else nothing. Malformed identifiers give no region rather than
 * an error: the region only picks a default regime, and the tenant's establishment regime still applies.
 */
export function contactRegion(identifier: ContactIdentifier): ContactRegion {
  const fromPhone = identifier.waId === undefined ? undefined : phoneRegion(identifier.waId);
  if (fromPhone) {
    return fromPhone;
  }
  const bsuid = identifier.userId === undefined ? undefined : BSUID.exec(identifier.userId.trim());
  const country = bsuid?.[1];
  return country !== undefined && isSupportedCountry(country) ? { country } : {};
}

function phoneRegion(waId: string): ContactRegion | undefined {
  const digits = WA_ID.exec(waId.trim())?.[1];
  const parsed = digits === undefined ? undefined : parsePhoneNumberFromString(`+${digits}`);
  if (!parsed) {
    return undefined;
  }
  // A number in a range newer than the metadata (California's 357 and 837 overlays, in this release) has no
  // country; its calling code's main country (the first listed: US for +1, GB for +44) is then the best hint.
  const country = parsed.country ?? parsed.getPossibleCountries()[0];
  if (country === undefined) {
    return undefined;
  }
  return country === 'US' && CALIFORNIA_AREA_CODES.has(parsed.nationalNumber.slice(0, 3))
    ? { country, usState: 'CA' }
    : { country };
}

/** The regime a contact's country brings by itself, if any (California needs `usState: 'CA'`). */
export function countryRegime(region: ContactRegion): PrivacyRegime | undefined {
  if (region.country === 'US') {
    return region.usState === 'CA' ? 'us-ca-ccpa' : undefined;
  }
  return region.country === undefined ? undefined : COUNTRY_REGIMES.get(region.country);
}

/**
 * The regime for a conversation, in this order:
 * 1. the tenant's override for the contact's country (a business that chose to treat, say, all US contacts as CCPA);
 * 2. the contact's country's own regime (the law follows the person: GDPR Art 3(2), LGPD Art 3, CCPA residents…);
 * 3. the tenant's establishment regime (an EU business is bound by the GDPR whoever it talks to, Art 3(1));
 * 4. the platform's baseline.
 * Throws on a malformed region or policy: a regime picked from bad input would be recorded as if it were right.
 */
export function resolveRegime(region: ContactRegion, tenantPolicy: TenantRegimePolicy): ResolvedRegime {
  const problems = [...checkContactRegion(region), ...checkTenantRegimePolicy(tenantPolicy)];
  if (problems.length > 0) {
    throw new Error(`Cannot resolve a privacy regime: ${problems.join('; ')}`);
  }
  const override = region.country === undefined ? undefined : tenantPolicy.countryOverrides?.[region.country];
  if (override !== undefined) {
    return { regime: override, reason: 'tenant-override' };
  }
  const byCountry = countryRegime(region);
  if (byCountry !== undefined) {
    return { regime: byCountry, reason: 'contact-country' };
  }
  if (tenantPolicy.establishment !== undefined) {
    return { regime: tenantPolicy.establishment, reason: 'tenant-establishment' };
  }
  return { regime: 'baseline', reason: 'baseline' };
}

/**
 * What is wrong with a tenant's regime policy (empty when nothing is): for config loading, which reports every
 * problem at once, and for resolveRegime. Takes `unknown` because the policy usually comes from parsed JSON.
 */
export function checkTenantRegimePolicy(policy: unknown): string[] {
  if (!isRecord(policy)) {
    return ['the tenant regime policy must be an object'];
  }
  const problems: string[] = [];
  for (const key of Object.keys(policy)) {
    if (key !== 'establishment' && key !== 'countryOverrides') {
      problems.push(`unknown tenant regime policy field "${key}"`);
    }
  }
  if (policy['establishment'] !== undefined && !isPrivacyRegime(policy['establishment'])) {
    problems.push(`establishment: ${describeRegimeProblem(policy['establishment'])}`);
  }
  const overrides = policy['countryOverrides'];
  if (overrides !== undefined) {
    if (!isRecord(overrides)) {
      problems.push('countryOverrides must be an object of country code → regime');
    } else {
      for (const [country, regime] of Object.entries(overrides)) {
        if (!isCountryCode(country)) {
          problems.push(`countryOverrides: "${country}" is not an ISO 3166-1 alpha-2 country code in upper case`);
        }
        if (!isPrivacyRegime(regime)) {
          problems.push(`countryOverrides.${country}: ${describeRegimeProblem(regime)}`);
        }
      }
    }
  }
  return problems;
}

function checkContactRegion(region: ContactRegion): string[] {
  const problems: string[] = [];
  if (region.country !== undefined && !ALPHA_2.test(region.country)) {
    problems.push('the contact country must be an ISO 3166-1 alpha-2 code in upper case');
  }
  if (region.usState !== undefined && (region.usState !== 'CA' || region.country !== 'US')) {
    problems.push('a contact US state is only meaningful as "CA" with country "US"');
  }
  return problems;
}

function isCountryCode(value: string): boolean {
  // Only codes the phone metadata knows: an override for a code no contact can resolve to would never apply.
  return ALPHA_2.test(value) && isSupportedCountry(value);
}

export function isPrivacyRegime(value: unknown): value is PrivacyRegime {
  return typeof value === 'string' && (PRIVACY_REGIMES as readonly string[]).includes(value);
}

function describeRegimeProblem(value: unknown): string {
  const shown = typeof value === 'string' ? `"${value}"` : typeof value;
  return `${shown} is not a privacy regime (one of ${PRIVACY_REGIMES.join(', ')})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
