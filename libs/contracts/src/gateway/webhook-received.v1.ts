import { IsInt, IsISO8601, Matches, Min } from 'class-validator';
import { IsSealed, type Sealed } from '../sealed';
import { IsPhoneNumberId } from './whatsapp-ids';

/**
 * The gateway accepted a signed webhook for one of a tenant's numbers. Its 200 to Meta is sent only once this is
 * durably accepted; the gateway's own intake then dedupes and turns it into message, status and preference facts.
 * `changes` is the JSON array of that number's `changes[]` items, sealed: webhooks carry names, numbers and text.
 */
export class GatewayWebhookReceivedV1 {
  @IsPhoneNumberId()
  phoneNumberId!: string;

  @Matches(/^\d{1,32}$/)
  wabaId!: string;

  @IsISO8601({ strict: true })
  receivedAt!: string;

  /** SHA-256 (hex) of the raw body as received: ties the event to the signed bytes for audit. */
  @Matches(/^[0-9a-f]{64}$/)
  bodySha256!: string;

  @IsInt()
  @Min(0)
  itemCount!: number;

  @IsSealed()
  changes!: Sealed;
}
