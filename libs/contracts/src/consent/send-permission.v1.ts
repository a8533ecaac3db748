import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { OUTBOUND_PURPOSES, type OutboundPurpose } from '../gateway/outbound-purpose';

/** The gateway asks, at send time, whether this contact may receive a message for this purpose. */
export class ConsentSendPermissionRequestV1 {
  @IsSubjectRef()
  contactRef!: string;

  @IsIn(OUTBOUND_PURPOSES)
  purpose!: OutboundPurpose;

  /**
   * The command being sent. Prompts and confirmations are allowed only for the commands consent itself issued, so no
   * other publisher can label a message `opt-in-prompt` to get past consent.
   */
  @IsOptional()
  @IsUUID()
  outboundId?: string;
}

export const SEND_DECISIONS = ['allow', 'deny'] as const;
export type SendDecision = (typeof SEND_DECISIONS)[number];

export const SEND_DENIAL_REASONS = ['no-consent', 'suppressed', 'platform-stopped'] as const;
export type SendDenialReason = (typeof SEND_DENIAL_REASONS)[number];

/**
 * consent's answer, from its ledger at the moment of asking. Default-deny: anything but `allow` means do not send.
 * `basis` names what allowed it (e.g. `opt-in`, `opt-in-prompt`, `opt-out-confirmation`) for the audit trail.
 */
export class ConsentSendPermissionResponseV1 {
  @IsIn(SEND_DECISIONS)
  decision!: SendDecision;

  @IsOptional()
  @IsIn(SEND_DENIAL_REASONS)
  reason?: SendDenialReason;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  basis?: string;
}
