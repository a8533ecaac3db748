import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { IsSealed, type Sealed } from '../sealed';
import { IsPhoneNumberId, IsWamid } from './whatsapp-ids';

export const INBOUND_MESSAGE_TYPES = [
  'text',
  'interactive',
  'button',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'order',
  'system',
  'unsupported',
] as const;
export type InboundMessageType = (typeof INBOUND_MESSAGE_TYPES)[number];

export const INTERACTION_KINDS = ['button_reply', 'list_reply', 'template_button'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/**
 * Which button or list row the user tapped. The id is the business's own identifier (set when it sent the buttons),
 * so it travels in clear and consumers can route on it without opening anything; the title the user saw is in
 * the sealed content.
 */
export class InboundInteraction {
  @IsIn(INTERACTION_KINDS)
  kind!: InteractionKind;

  @IsString()
  @MaxLength(256)
  id!: string;
}

export class InboundMessageError {
  @IsInt()
  code!: number;

  @IsString()
  @MaxLength(256)
  title!: string;
}

/**
 * A WhatsApp user sent the business a message; published once per wamid however often Meta delivers it.
 * The contact is the gateway's opaque reference (stable across phone-number and user-id changes); who they are
 * (`contact`: {waId?, userId?, name?}) and what they sent (`content`) travel sealed with the transit cipher,
 * place {tenantId, subjectRef: contactRef, field: 'gateway.message.received.v1/<field>'}.
 */
export class GatewayMessageReceivedV1 {
  @IsWamid()
  messageId!: string;

  @IsPhoneNumberId()
  phoneNumberId!: string;

  @IsSubjectRef()
  contactRef!: string;

  @IsIn(INBOUND_MESSAGE_TYPES)
  type!: InboundMessageType;

  /** When the user sent it (Meta's timestamp). */
  @IsISO8601({ strict: true })
  sentAt!: string;

  /** When the gateway accepted the webhook that carried it. */
  @IsISO8601({ strict: true })
  receivedAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => InboundInteraction)
  interaction?: InboundInteraction;

  /** The business message this one replies to (context.id), e.g. the message whose button was tapped. */
  @IsOptional()
  @IsWamid()
  inReplyTo?: string;

  @IsOptional()
  @IsBoolean()
  forwarded?: boolean;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => InboundMessageError)
  errors?: InboundMessageError[];

  @IsSealed()
  contact!: Sealed;

  @IsSealed()
  content!: Sealed;
}
