import { IsInt, IsString, MaxLength, Min } from 'class-validator';

/** Test fact: something happened in `consent` (the test registry's owner of facts). */
export class ProbeRecordedV1 {
  @IsString()
  @MaxLength(2000)
  label!: string;

  @IsInt()
  @Min(0)
  sequence!: number;
}
