import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class EchoRequestV1 {
  @IsString()
  text!: string;

  /** Makes the responder wait this long before answering (timeout tests). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  delayMs?: number;
}

export class EchoResponseV1 {
  @IsString()
  text!: string;
}
