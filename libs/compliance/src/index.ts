// The platform's compliance policy: pure functions and tables, no framework and no I/O, so every service (and the
// gateway's edge) decides the same way.
export {
  MAX_KEYWORD_MESSAGE_LENGTH,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  matchConsentKeyword,
  normalizeKeywordText,
  type ConsentKeyword,
  type KeywordIntent,
  type KeywordLanguage,
  type KeywordMatch,
} from './keywords/consent-keyword.rules';
export {
  MAX_DETECTION_TEXT_LENGTH,
  SUPPORTED_LANGUAGES,
  countryLanguage,
  detectLanguage,
  type DetectLanguageOptions,
  type SupportedLanguage,
} from './language/language-detection.rules';
export {
  CHECKSUMMED_PII_KINDS,
  PII_KINDS,
  findPii,
  redactText,
  type FindPiiOptions,
  type PiiKind,
  type PiiSpan,
} from './pii/pii-detection.rules';
export { REGIME_PROFILES, type DeadlineUnit, type RegimeDeadline, type RegimeProfile } from './regimes/regime-profile';
export {
  CALIFORNIA_AREA_CODES,
  EEA_NON_EU_STATES,
  EU_MEMBER_STATES,
  EU_TERRITORIES_CODED_APART,
  checkTenantRegimePolicy,
  contactRegion,
  countryRegime,
  isPrivacyRegime,
  resolveRegime,
  type ContactIdentifier,
  type ContactRegion,
  type RegimeReason,
  type ResolvedRegime,
  type TenantRegimePolicy,
} from './regimes/regime.rules';
