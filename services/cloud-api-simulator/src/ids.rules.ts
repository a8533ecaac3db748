import { randomBytes } from 'node:crypto';

/** A WhatsApp message ID: `wamid.` + URL-safe base64 of random bytes, unique per message. */
export function newWamid(): string {
  return `wamid.${randomBytes(24).toString('base64url')}`;
}

/** A numeric Graph object ID, as Meta gives media. */
export function newMediaId(): string {
  const digits = (BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 15n).toString().padStart(15, '0');
  return `1${digits}`;
}
