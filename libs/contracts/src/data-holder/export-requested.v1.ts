import { Type } from 'class-transformer';
import { IsArray, IsUUID, Matches, ValidateNested } from 'class-validator';
import { IsSealed, type Sealed } from '../sealed';
import { IsSubjectRef } from './subject-ref';

/** dsar asks one data holder for everything it holds on a subject. */
export class DataExportRequestV1 {
  @IsUUID()
  requestId!: string;

  @IsSubjectRef()
  subjectRef!: string;
}

export class DataExportSectionV1 {
  @Matches(/^[a-z][a-z0-9-]{1,62}$/)
  category!: string;

  /**
   * The section's records as sealed JSON: the export is personal data and never crosses the bus in clear. Transit
   * place {tenantId, subjectRef, field: '<holder>.rpc.export.v1/records', row: category}.
   */
  @IsSealed()
  records!: Sealed;
}

export class DataExportResponseV1 {
  @IsUUID()
  requestId!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DataExportSectionV1)
  sections!: DataExportSectionV1[];
}
