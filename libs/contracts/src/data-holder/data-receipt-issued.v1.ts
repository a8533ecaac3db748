import { IsIn, IsInt, IsOptional, IsUUID, Matches, Min } from 'class-validator';
import { IsSubjectRef } from './subject-ref';

export const DATA_OPERATIONS = ['erase', 'rectify', 'sweep'] as const;
export type DataOperation = (typeof DATA_OPERATIONS)[number];

/**
 * A data holder's answer to an erase, rectify or sweep command: what it did, and how many records it touched.
 * `requestId` is the command's requestId or sweepId, so the requester can match receipts to its fan-out.
 */
export class DataReceiptIssuedV1 {
  @IsUUID()
  requestId!: string;

  @IsIn(DATA_OPERATIONS)
  operation!: DataOperation;

  @IsOptional()
  @IsSubjectRef()
  subjectRef?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,62}$/)
  category?: string;

  @IsInt()
  @Min(0)
  affected!: number;
}
