import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Min } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { OUTBOUND_PURPOSES, type OutboundPurpose } from './outbound-purpose';
import { IsPhoneNumberId } from './whatsapp-ids';

export const OUTBOUND_FAILURE_REASONS = [
  'no-consent',
  'suppressed',
  'platform-stopped',
  'consent-unavailable',
  'window-closed',
  'marketing-opt-out',
  'undeliverable',
  'rejected',
  'invalid-message',
  'unknown-contact',
  'quality-limited',
  'account-locked',
  'account-restricted',
  'expired',
  'retries-exhausted',
] as const;
export type OutboundFailureReasonName = (typeof OUTBOUND_FAILURE_REASONS)[number];

/** An outbound message was not sent and will not be: why, and the Cloud API error code when Meta refused it. */
export class GatewayOutboundFailedV1 {
  @IsUUID()
  outboundId!: string;

  @IsSubjectRef()
  contactRef!: string;

  @IsIn(OUTBOUND_PURPOSES)
  purpose!: OutboundPurpose;

  @IsIn(OUTBOUND_FAILURE_REASONS)
  reason!: OutboundFailureReasonName;

  @IsOptional()
  @IsInt()
  errorCode?: number;

  @IsOptional()
  @IsPhoneNumberId()
  phoneNumberId?: string;

  @IsInt()
  @Min(0)
  attempts!: number;

  @IsISO8601({ strict: true })
  failedAt!: string;
}
