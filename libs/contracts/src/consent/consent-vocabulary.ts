/**
 * What a contact consents to. The tenant's notice asks for some of these (some required, some optional); every
 * outbound purpose maps to one of them (see `consentPurposeOf`).
 * - assistant: talking with the business's AI assistant and its staff, including answers to data-rights requests.
 * - notifications: service messages the business starts (booking reminders, order updates).
 * - marketing: offers and promotions.
 */
export const CONSENT_PURPOSES = ['assistant', 'notifications', 'marketing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/**
 * One ledger record's action. `prompted` records that the notice was shown (evidence, no decision);
 * `platform-stopped` / `platform-resumed` record the user's own WhatsApp setting (Meta `user_preferences`), which
 * blocks the purpose without being a consent decision.
 */
export const CONSENT_ACTIONS = [
  'prompted',
  'granted',
  'declined',
  'withdrawn',
  'platform-stopped',
  'platform-resumed',
] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

/** Actions a caller of the record API may record (prompts and platform settings come only from WhatsApp). */
export const RECORDABLE_ACTIONS = ['granted', 'declined', 'withdrawn'] as const;
export type RecordableAction = (typeof RECORDABLE_ACTIONS)[number];

/** How the decision reached the platform. */
export const CONSENT_CHANNELS = [
  'whatsapp-button',
  'whatsapp-keyword',
  'whatsapp-settings',
  'whatsapp-prompt',
  'api',
  'erasure-tombstone',
] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** GDPR Art 6(1) bases (and their equivalents elsewhere) a purpose can rest on. */
export const LAWFUL_BASES = ['consent', 'contract', 'legal-obligation', 'legitimate-interest'] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

/** A purpose's current state, derived from the ledger. */
export const CONSENT_STATES = ['undecided', 'granted', 'declined', 'withdrawn'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
