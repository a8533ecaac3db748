import type { CountryCode } from 'libphonenumber-js';
import { createHmac } from 'node:crypto';
import type { Keyring } from '../keyring/keyring';
import { normalizeBsuid, normalizeEmail, normalizePhone, normalizeWaId } from './identifier.normalizers';

export type IdentifierKind = 'phone' | 'email' | 'wa-id' | 'bsuid';

/** The normalized identifier, prefixed by its index domain: a wa_id shares the `phone` domain (same person). */
function indexInput(kind: IdentifierKind, value: string, defaultRegion?: CountryCode): string {
  switch (kind) {
    case 'phone':
      return `phone:${normalizePhone(value, defaultRegion)}`;
    case 'wa-id':
      return `phone:${normalizeWaId(value)}`;
    case 'email':
      return `email:${normalizeEmail(value)}`;
    case 'bsuid':
      return `bsuid:${normalizeBsuid(value)}`;
  }
}

/**
 * HMAC-SHA256 of the normalized identifier under the tenant's index key, base64url (43 characters: a valid
 * contracts SubjectRef). Lets a service find a contact by phone number, WhatsApp id, BSUID or email without storing either in clear;
 * equal inputs in one tenant give equal indexes, other tenants' indexes are unrelated.
 */
export class BlindIndex {
  constructor(private readonly keyring: Keyring) {}

  async compute(tenantId: string, kind: IdentifierKind, value: string, defaultRegion?: CountryCode): Promise<string> {
    const input = indexInput(kind, value, defaultRegion);
    const key = await this.keyring.indexKey(tenantId);
    return createHmac('sha256', key).update(input, 'utf8').digest('base64url');
  }
}
