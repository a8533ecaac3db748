import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { ConsentRecordV1 } from './consent-record.v1';
import { CONSENT_PURPOSES, type ConsentPurpose } from './consent-vocabulary';

export const MAX_HISTORY_PAGE = 500;

/** A subject's ledger, oldest first, a page at a time. */
export class ConsentHistoryRequestV1 {
  @IsSubjectRef()
  subjectRef!: string;

  @IsOptional()
  @IsIn(CONSENT_PURPOSES)
  purpose?: ConsentPurpose;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_PAGE)
  limit?: number;

  /** The `nextAfter` of the previous page. */
  @IsOptional()
  @IsInt()
  @Min(0)
  after?: number;
}

export class ConsentHistoryResponseV1 {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ConsentRecordV1)
  records!: ConsentRecordV1[];

  /** Present when more records follow: pass it as `after`. */
  @IsOptional()
  @IsInt()
  @Min(0)
  nextAfter?: number;
}
