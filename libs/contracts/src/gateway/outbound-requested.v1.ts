import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { IsSealed, type Sealed } from '../sealed';
import { OUTBOUND_PURPOSES, type OutboundPurpose } from './outbound-purpose';
import { IsPhoneNumberId, IsWamid } from './whatsapp-ids';

/**
 * Send a WhatsApp message to a contact. The gateway is the one choke point: at send time it checks consent and
 * suppression, the 24-hour window, the number's throughput and its own limits, and answers with
 * `gateway.outbound.accepted.v1` or `gateway.outbound.failed.v1`. `outboundId` is the idempotency key: a command
 * delivered twice is sent once. `message` is the sealed JSON of the message (text, buttons, template, document),
 * place {tenantId, subjectRef: contactRef, field: 'gateway.outbound.requested.v1/message'}.
 */
export class GatewayOutboundRequestedV1 {
  @IsUUID()
  outboundId!: string;

  @IsSubjectRef()
  contactRef!: string;

  @IsIn(OUTBOUND_PURPOSES)
  purpose!: OutboundPurpose;

  /** Which of the tenant's business numbers sends it; default: the number the contact last wrote to. */
  @IsOptional()
  @IsPhoneNumberId()
  phoneNumberId?: string;

  /** Make it a reply to this message (context.message_id). */
  @IsOptional()
  @IsWamid()
  replyTo?: string;

  /** Do not send after this instant (a stale answer is worse than none); the command then fails as expired. */
  @IsOptional()
  @IsISO8601({ strict: true })
  notAfter?: string;

  @IsSealed()
  message!: Sealed;
}
