import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { ConsentEvidenceV1, ConsentRecordV1 } from './consent-record.v1';
import {
  CONSENT_PURPOSES,
  LAWFUL_BASES,
  RECORDABLE_ACTIONS,
  type ConsentPurpose,
  type LawfulBasis,
  type RecordableAction,
} from './consent-vocabulary';

/**
 * Record a decision taken outside WhatsApp (a web form, a call, an operator acting on a written request). `requestId`
 * is the idempotency key: the same request recorded twice is one set of records. Evidence must name a `reference`
 * and an `actor`. A withdrawal suppresses the contact at once; a grant lifts suppression only for the purposes named.
 */
export class ConsentRecordRequestV1 {
  @IsUUID()
  requestId!: string;

  @IsSubjectRef()
  subjectRef!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CONSENT_PURPOSES.length)
  @ArrayUnique()
  @IsIn(CONSENT_PURPOSES, { each: true })
  purposes!: ConsentPurpose[];

  @IsIn(RECORDABLE_ACTIONS)
  action!: RecordableAction;

  @IsOptional()
  @IsIn(LAWFUL_BASES)
  lawfulBasis?: LawfulBasis;

  /** The notice version the subject saw, when the decision answered one. */
  @IsOptional()
  @IsInt()
  @Min(1)
  noticeVersion?: number;

  @ValidateNested()
  @Type(() => ConsentEvidenceV1)
  evidence!: ConsentEvidenceV1;
}

export class ConsentRecordResponseV1 {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ConsentRecordV1)
  records!: ConsentRecordV1[];
}
