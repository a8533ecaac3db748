import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class BusinessNumberDto {
  @Matches(/^\d{1,32}$/)
  phoneNumberId!: string;

  @Matches(/^\+?\d{6,20}$/)
  displayNumber!: string;

  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  tenantId!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  throughputMps?: number;
}

export class WhatsAppAppDto {
  /** A label for logs and metrics: never a secret. */
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  name!: string;

  @IsString()
  @MinLength(8)
  @MaxLength(512)
  appSecret!: string;

  @IsString()
  @MinLength(8)
  @MaxLength(512)
  verifyToken!: string;

  @IsString()
  @MinLength(8)
  @MaxLength(4096)
  accessToken!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => BusinessNumberDto)
  numbers!: BusinessNumberDto[];
}

/** WHATSAPP_TENANTS_FILE: the Meta apps this gateway serves, each with its numbers and their tenants. */
export class TenantsFileDto {
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => WhatsAppAppDto)
  apps!: WhatsAppAppDto[];
}
