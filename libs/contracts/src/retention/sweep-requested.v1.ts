import { IsISO8601, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

/** retention asks the data holders to purge one category's records older than `cutoff`, in batches. */
export class RetentionSweepRequestedV1 {
  @IsUUID()
  sweepId!: string;

  @Matches(/^[a-z][a-z0-9-]{1,62}$/)
  category!: string;

  @IsISO8601({ strict: true })
  cutoff!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  batchSize?: number;
}
