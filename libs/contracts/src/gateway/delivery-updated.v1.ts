import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { IsPhoneNumberId, IsWamid } from './whatsapp-ids';

export const DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'failed', 'played'] as const;
export type DeliveryStatusName = (typeof DELIVERY_STATUSES)[number];

export class DeliveryError {
  @IsInt()
  code!: number;

  @IsString()
  @MaxLength(256)
  title!: string;
}

/**
 * Meta reported a status for a message the platform sent (once per wamid and status). `outboundId` links it to the
 * outbound command when the gateway knows it; statuses may arrive out of order and `delivered` may be skipped.
 */
export class GatewayDeliveryUpdatedV1 {
  @IsWamid()
  messageId!: string;

  @IsPhoneNumberId()
  phoneNumberId!: string;

  @IsOptional()
  @IsUUID()
  outboundId?: string;

  @IsOptional()
  @IsSubjectRef()
  contactRef?: string;

  @IsIn(DELIVERY_STATUSES)
  status!: DeliveryStatusName;

  @IsISO8601({ strict: true })
  at!: string;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => DeliveryError)
  errors?: DeliveryError[];

  /** Meta's pricing category (service, utility, marketing, authentication, general_purpose_ai …). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  pricingCategory?: string;
}
