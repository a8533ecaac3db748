import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, Matches, ValidateNested } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { INBOUND_MESSAGE_TYPES, InboundInteraction, type InboundMessageType } from '../gateway/message-received.v1';
import { IsPhoneNumberId, IsWamid } from '../gateway/whatsapp-ids';
import { IsSealed, type Sealed } from '../sealed';

/**
 * A contact's message may be processed: the contact consented to the assistant. Published for each message of a
 * consenting contact, and — when a contact accepts the opt-in prompt — for the messages held while they decided, in
 * the order they were sent (`held: true`). conversation-ai answers these and nothing else. `contact` and `content`
 * travel sealed, place {tenantId, subjectRef: contactRef, field: 'consent.message.admitted.v1/<field>'}.
 */
export class ConsentMessageAdmittedV1 {
  @IsWamid()
  messageId!: string;

  @IsPhoneNumberId()
  phoneNumberId!: string;

  @IsSubjectRef()
  contactRef!: string;

  @IsIn(INBOUND_MESSAGE_TYPES)
  type!: InboundMessageType;

  @IsISO8601({ strict: true })
  sentAt!: string;

  @IsISO8601({ strict: true })
  receivedAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => InboundInteraction)
  interaction?: InboundInteraction;

  @IsOptional()
  @IsWamid()
  inReplyTo?: string;

  /** It waited for the contact's decision on the opt-in prompt. */
  @IsBoolean()
  held!: boolean;

  /** The contact's language as consent detected it (ISO 639-1), for answering in it. */
  @IsOptional()
  @Matches(/^[a-z]{2}$/)
  language?: string;

  @IsSealed()
  contact!: Sealed;

  @IsSealed()
  content!: Sealed;
}
