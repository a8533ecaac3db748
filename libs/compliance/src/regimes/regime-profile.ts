import type { PrivacyRegime } from '@trustline/contracts';

/**
 * What the platform knows of each privacy regime, from the research notes (shared/reference/regulations.md §1 and
 * §3), limited to facts stated there. Deadline arithmetic (calendar vs business days, holidays, extensions) is the
 * DSAR rules' job; this table only says which clock each law sets.
 */

export type DeadlineUnit = 'calendar-days' | 'business-days' | 'calendar-months';

export interface RegimeDeadline {
  readonly amount: number;
  readonly unit: DeadlineUnit;
  /**
   * The law says only "days" without saying which kind. Counted as calendar days, the shorter reading, until the
   * regulator or a verified text says otherwise.
   */
  readonly unqualifiedDays?: true;
}

export interface RegimeProfile {
  readonly name: string;
  /** Who enforces it. */
  readonly authority: string;
  readonly law: string;
  /** Time to answer an access request, from receipt (the first right a data subject usually exercises). */
  readonly dataSubjectRightsDeadline: RegimeDeadline;
  /** How far that deadline may be extended, once; absent where the law allows no extension. */
  readonly extension?: RegimeDeadline;
  readonly consentModel: string;
  /** False when the notes flag an item of this profile as not confirmed against a source; `unverified` says which. */
  readonly verified: boolean;
  readonly unverified?: readonly string[];
}

export const REGIME_PROFILES: Readonly<Record<PrivacyRegime, RegimeProfile>> = deepFreeze({
  'eu-gdpr': {
    name: 'EU GDPR',
    authority: 'National supervisory authority (lead authority under the one-stop-shop)',
    law: 'GDPR, Art 12(3)',
    // A calendar month, not 30 days.
    dataSubjectRightsDeadline: { amount: 1, unit: 'calendar-months' },
    extension: { amount: 2, unit: 'calendar-months' },
    consentModel: 'opt-in; explicit consent for special-category data (Art 9) and automated decisions (Art 22(2)(c))',
    verified: true,
  },
  'es-lopdgdd': {
    name: 'Spain RGPD + LOPDGDD',
    authority: 'AEPD (Agencia Española de Protección de Datos)',
    law: 'RGPD (GDPR) and LOPDGDD, art 13 (access refers to GDPR Art 15)',
    dataSubjectRightsDeadline: { amount: 1, unit: 'calendar-months' },
    extension: { amount: 2, unit: 'calendar-months' },
    consentModel: 'GDPR opt-in; no tacit consent for multiple purposes; digital age of consent 14',
    verified: true,
  },
  'us-ca-ccpa': {
    name: 'California CCPA/CPRA',
    authority: 'CPPA (California Privacy Protection Agency) and the California Attorney General',
    law: 'CCPA/CPRA; 11 CCR §7021',
    // Counted from receipt however long verification takes; acknowledge within 10 business days.
    dataSubjectRightsDeadline: { amount: 45, unit: 'calendar-days' },
    extension: { amount: 45, unit: 'calendar-days' },
    consentModel: 'opt-out of sale/sharing; opt-in under 16 (13–15 themselves, under 13 a parent), 1798.120(c)',
    verified: true,
  },
  'br-lgpd': {
    name: 'Brazil LGPD',
    authority: 'ANPD (Agência Nacional de Proteção de Dados)',
    law: 'LGPD, Art 19',
    // The full access statement: "até 15 dias"; simplified confirmation is due immediately. No extension in the law.
    dataSubjectRightsDeadline: { amount: 15, unit: 'calendar-days', unqualifiedDays: true },
    consentModel: 'consent is one of ten legal bases; a parent’s specific consent for children under 12 (Art 14)',
    verified: true,
  },
  'mx-lfpdppp': {
    name: 'Mexico LFPDPPP 2025 (the 2010 law is abrogated)',
    authority: 'SABG (Secretaría Anticorrupción y Buen Gobierno); INAI is extinct',
    law: 'LFPDPPP, DOF 20 Mar 2025, in force 21 Mar 2025',
    // ARCO: a decision within 20 days, made effective within 15 more; each extendable once by an equal period.
    dataSubjectRightsDeadline: { amount: 20, unit: 'calendar-days', unqualifiedDays: true },
    extension: { amount: 20, unit: 'calendar-days', unqualifiedDays: true },
    consentModel: 'tacit as the general rule; express and written for sensitive data',
    verified: false,
    unverified: [
      'the day kind in the 2025 text (often read as business days)',
      'express consent for financial data in the 2025 text',
    ],
  },
  'co-ley1581': {
    name: 'Colombia Ley 1581/2012',
    authority: 'SIC (Superintendencia de Industria y Comercio)',
    law: 'Ley 1581/2012, Art 14 (consultas); Dec. 1377/2013 (DUR 1074/2015)',
    // A consulta; a reclamo (correct, update, delete, revoke) has 15 business days from the day after receipt.
    dataSubjectRightsDeadline: { amount: 10, unit: 'business-days' },
    extension: { amount: 5, unit: 'business-days' },
    consentModel: 'prior, express and informed authorization (Art 9), proof of it kept',
    verified: true,
  },
  'ar-ley25326': {
    name: 'Argentina Ley 25.326',
    authority: 'AAIP (Agencia de Acceso a la Información Pública)',
    law: 'Ley 25.326, Art 14.2',
    // "diez días corridos"; rectification or suppression within 5 business days (Art 16.2). No extension.
    dataSubjectRightsDeadline: { amount: 10, unit: 'calendar-days' },
    consentModel: 'free, express and informed, in writing or equivalent (Art 5)',
    verified: true,
  },
  baseline: {
    name: 'Platform baseline',
    authority: 'None: the platform’s own floor where no named law applies',
    law: 'None',
    // A platform choice, not a legal deadline: the GDPR's month, the most common of the regimes above.
    dataSubjectRightsDeadline: { amount: 1, unit: 'calendar-months' },
    consentModel: 'opt-in and opt-out for everyone (with access and erasure): the platform’s floor',
    verified: true,
  },
});

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) {
      deepFreeze(inner as object);
    }
  }
  return Object.freeze(value);
}
