import { IsIn, IsInt, IsISO8601, IsUUID, Min } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { OUTBOUND_PURPOSES, type OutboundPurpose } from './outbound-purpose';
import { IsPhoneNumberId, IsWamid } from './whatsapp-ids';

export const OUTBOUND_KINDS = ['text', 'buttons', 'template', 'document'] as const;
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];

/** The Cloud API accepted an outbound message (delivery follows as `gateway.delivery.updated.v1`). */
export class GatewayOutboundAcceptedV1 {
  @IsUUID()
  outboundId!: string;

  @IsSubjectRef()
  contactRef!: string;

  @IsIn(OUTBOUND_PURPOSES)
  purpose!: OutboundPurpose;

  @IsIn(OUTBOUND_KINDS)
  kind!: OutboundKind;

  @IsWamid()
  messageId!: string;

  @IsPhoneNumberId()
  phoneNumberId!: string;

  @IsInt()
  @Min(1)
  attempts!: number;

  @IsISO8601({ strict: true })
  acceptedAt!: string;
}
