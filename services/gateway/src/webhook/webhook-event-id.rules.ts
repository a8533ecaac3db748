import { createHash } from 'node:crypto';

/**
 * A UUID (version 8: custom) derived from the signed body's digest and the business number, used as the event id:
 * Meta's redelivery of the same bytes gives the same id, so the bus drops it within its duplicate window even before
 * the intake's durable per-wamid dedupe sees it.
 */
export function webhookEventId(bodySha256: string, phoneNumberId: string): string {
  const bytes = createHash('sha256').update(`${bodySha256}:${phoneNumberId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
