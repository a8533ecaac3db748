import { IsInt, IsISO8601, IsOptional } from 'class-validator';
import { IsPhoneNumberId } from './whatsapp-ids';

/**
 * Meta restricted the tenant's WhatsApp Business Account (error 368): the gateway stopped all of the tenant's
 * sending until an operator resumes it. An alert, not a routine event.
 */
export class GatewaySendingHaltedV1 {
  @IsInt()
  errorCode!: number;

  @IsOptional()
  @IsPhoneNumberId()
  phoneNumberId?: string;

  @IsISO8601({ strict: true })
  haltedAt!: string;
}
