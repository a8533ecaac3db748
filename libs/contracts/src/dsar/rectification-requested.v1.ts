import { IsUUID } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { IsSealed, type Sealed } from '../sealed';

/**
 * dsar asks every data holder to correct fields of one subject; the corrected values travel sealed: the JSON object
 * `{ field: value }`, transit place {tenantId, subjectRef, field: 'dsar.rectification.requested.v1/fields'}.
 */
export class DsarRectificationRequestedV1 {
  @IsUUID()
  requestId!: string;

  @IsSubjectRef()
  subjectRef!: string;

  @IsSealed()
  fields!: Sealed;
}
