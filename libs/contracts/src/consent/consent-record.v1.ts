import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { IsWamid } from '../gateway/whatsapp-ids';
import {
  CONSENT_ACTIONS,
  CONSENT_CHANNELS,
  CONSENT_PURPOSES,
  LAWFUL_BASES,
  type ConsentAction,
  type ConsentChannel,
  type ConsentPurpose,
  type LawfulBasis,
} from './consent-vocabulary';
import { PRIVACY_REGIMES, type PrivacyRegime } from './privacy-regime';

/**
 * What proves a decision. WhatsApp decisions carry the wamid of the user's message (the button tap or keyword) and
 * the prompt it answered; API decisions carry the caller's own reference (a ticket or form id, never personal data).
 */
export class ConsentEvidenceV1 {
  @IsOptional()
  @IsWamid()
  messageId?: string;

  /** The business message the user answered (the prompt's wamid). */
  @IsOptional()
  @IsWamid()
  inReplyTo?: string;

  /** The button the user tapped (its id names the notice version). */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  buttonId?: string;

  /** The keyword as normalised (e.g. `STOP`), never the message text. */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  keyword?: string;

  /** The outbound command that carried the prompt or confirmation. */
  @IsOptional()
  @IsUUID()
  outboundId?: string;

  @IsOptional()
  @Matches(/^[\w.:/-]{1,128}$/, { message: 'reference must be 1–128 characters of [A-Za-z0-9_.:/-]' })
  reference?: string;

  /** Who recorded it through the API (a service or an operator id). */
  @IsOptional()
  @Matches(/^[\w.:@-]{1,64}$/, { message: 'actor must be 1–64 characters of [A-Za-z0-9_.:@-]' })
  actor?: string;

  /** When the user acted (WhatsApp's timestamp of their message), distinct from when it was recorded. */
  @IsOptional()
  @IsISO8601({ strict: true })
  userActedAt?: string;
}

/** One append-only ledger record, as history returns it and as the decision fact announces it. */
export class ConsentRecordV1 {
  @IsUUID()
  recordId!: string;

  @IsSubjectRef()
  subjectRef!: string;

  @IsIn(CONSENT_PURPOSES)
  purpose!: ConsentPurpose;

  @IsIn(CONSENT_ACTIONS)
  action!: ConsentAction;

  @IsOptional()
  @IsInt()
  @Min(1)
  noticeVersion?: number;

  /** The purposes the notice named when this was recorded. */
  @IsIn(CONSENT_PURPOSES, { each: true })
  noticePurposes!: ConsentPurpose[];

  @IsIn(LAWFUL_BASES)
  lawfulBasis!: LawfulBasis;

  @IsIn(CONSENT_CHANNELS)
  channel!: ConsentChannel;

  @IsIn(PRIVACY_REGIMES)
  regime!: PrivacyRegime;

  @IsOptional()
  @Matches(/^[a-z]{2}$/)
  language?: string;

  @ValidateNested()
  @Type(() => ConsentEvidenceV1)
  evidence!: ConsentEvidenceV1;

  @IsISO8601({ strict: true })
  recordedAt!: string;
}
