import { IsUUID } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';

/** dsar asks every data holder to erase one subject: crypto-shred its keys, then purge its rows. Idempotent. */
export class DsarErasureRequestedV1 {
  @IsUUID()
  requestId!: string;

  @IsSubjectRef()
  subjectRef!: string;
}
