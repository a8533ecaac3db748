import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { CONSENT_PURPOSES, CONSENT_STATES, type ConsentPurpose, type ConsentState } from './consent-vocabulary';
import { PRIVACY_REGIMES, type PrivacyRegime } from './privacy-regime';

/** May the business process this subject's data for this purpose now? */
export class ConsentCheckRequestV1 {
  @IsSubjectRef()
  subjectRef!: string;

  @IsIn(CONSENT_PURPOSES)
  purpose!: ConsentPurpose;
}

/**
 * The answer from the ledger's current state. `allowed` is true only when the purpose is granted, the notice it was
 * granted on still names the same purposes, the contact is not suppressed, and WhatsApp's own setting does not stop
 * it. Default-deny: an unknown subject is `undecided` and not allowed.
 */
export class ConsentCheckResponseV1 {
  @IsBoolean()
  allowed!: boolean;

  @IsIn(CONSENT_STATES)
  state!: ConsentState;

  /** Opted out (or tombstoned after erasure): nothing may be sent but the opt-out confirmation. */
  @IsBoolean()
  suppressed!: boolean;

  /** The user stopped this purpose in WhatsApp's settings (user_preferences). */
  @IsBoolean()
  platformStopped!: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  noticeVersion?: number;

  @IsOptional()
  @IsIn(PRIVACY_REGIMES)
  regime?: PrivacyRegime;

  @IsOptional()
  @IsISO8601({ strict: true })
  decidedAt?: string;
}
