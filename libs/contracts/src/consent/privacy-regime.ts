/**
 * The privacy regimes the platform resolves for a contact and records with every consent decision. `baseline` is
 * the platform's own floor (opt-in, opt-out, access and erasure for everyone) where none of the named laws applies.
 */
export const PRIVACY_REGIMES = [
  'eu-gdpr',
  'es-lopdgdd',
  'us-ca-ccpa',
  'br-lgpd',
  'mx-lfpdppp',
  'co-ley1581',
  'ar-ley25326',
  'baseline',
] as const;
export type PrivacyRegime = (typeof PRIVACY_REGIMES)[number];
