import { fact } from '@trustline/contracts';
import { IsInt, IsString, MaxLength, Min } from 'class-validator';

/** The benchmark's event: an id-and-facts payload of a realistic size (the envelope is ~300 bytes). */
export class BenchRecordedV1 {
  @IsString()
  @MaxLength(1000)
  note!: string;

  @IsInt()
  @Min(0)
  sequence!: number;
}

export const benchContracts = {
  'consent.bench.recorded.v1': fact('consent', BenchRecordedV1, 'benchmark event'),
} as const;

export type BenchContracts = typeof benchContracts;

export const BENCH_SUBJECT = 'consent.bench.recorded.v1';
