import type { ConsentPurpose, LawfulBasis, PrivacyRegime } from '@trustline/contracts';

export const NOTICE_LANGUAGES = ['en', 'es', 'pt'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

export interface NoticePurpose {
  readonly purpose: ConsentPurpose;
  /** Required purposes are what "accept" grants; optional ones need "accept all" (granular consent). */
  readonly required: boolean;
  readonly lawfulBasis: LawfulBasis;
}

/** One immutable version of a tenant's notice: what it asks for. Its texts come from the language templates. */
export interface NoticeVersion {
  readonly version: number;
  readonly purposes: readonly NoticePurpose[];
}

/** A tenant's consent policy. */
export interface ConsentPolicy {
  readonly businessName: string;
  readonly privacyPolicyUrl: string;
  /** Offered languages; the first is the default for contacts whose language is not detected or not offered. */
  readonly languages: readonly NoticeLanguage[];
  /** Oldest first; the last is current. */
  readonly notices: readonly NoticeVersion[];
  readonly establishment?: PrivacyRegime;
  readonly countryOverrides?: Readonly<Record<string, PrivacyRegime>>;
}
