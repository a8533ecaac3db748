import { IsString } from 'class-validator';

/** Test command: owned by `retention`, sent by `dsar`. */
export class ProbeRequestedV1 {
  @IsString()
  label!: string;
}
