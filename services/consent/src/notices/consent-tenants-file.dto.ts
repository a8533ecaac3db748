import { CONSENT_PURPOSES, LAWFUL_BASES, PRIVACY_REGIMES } from '@trustline/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { NOTICE_LANGUAGES } from './consent-policy';

export class NoticePurposeDto {
  @IsIn(CONSENT_PURPOSES)
  purpose!: (typeof CONSENT_PURPOSES)[number];

  @IsBoolean()
  required!: boolean;

  @IsOptional()
  @IsIn(LAWFUL_BASES)
  lawfulBasis?: (typeof LAWFUL_BASES)[number];
}

export class NoticeVersionDto {
  @IsInt()
  @Min(1)
  version!: number;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => NoticePurposeDto)
  purposes!: NoticePurposeDto[];
}

export class TenantConsentPolicyDto {
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  tenantId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(60)
  businessName!: string;

  @IsUrl({ protocols: ['https'], require_protocol: true })
  privacyPolicyUrl!: string;

  @IsArray()
  @ArrayMinSize(1)
  @IsIn(NOTICE_LANGUAGES, { each: true })
  languages!: (typeof NOTICE_LANGUAGES)[number][];

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => NoticeVersionDto)
  notices!: NoticeVersionDto[];

  @IsOptional()
  @IsIn(PRIVACY_REGIMES)
  establishment?: (typeof PRIVACY_REGIMES)[number];

  @IsOptional()
  @IsObject()
  countryOverrides?: Record<string, (typeof PRIVACY_REGIMES)[number]>;
}

/** CONSENT_TENANTS_FILE: each tenant's consent policy. */
export class ConsentTenantsFileDto {
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => TenantConsentPolicyDto)
  tenants!: TenantConsentPolicyDto[];
}
