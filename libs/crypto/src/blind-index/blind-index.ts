import type { CountryCode } from 'libphonenumber-js';
import { createHmac } from 'node:crypto';
import type { Keyring } from '../keyring/keyring';
import { normalizeEmail, normalizePhone } from './identifier.normalizers';

export type IdentifierKind = 'phone' | 'email';

/**
 * HMAC-SHA256 of the normalized identifier under the tenant's index key, base64url (43 characters: a valid
 * contracts SubjectRef). Lets a service find a contact by phone number or email without storing either in clear;
 * equal inputs in one tenant give equal indexes, other tenants' indexes are unrelated.
 */
export class BlindIndex {
  constructor(private readonly keyring: Keyring) {}

  async compute(tenantId: string, kind: IdentifierKind, value: string, defaultRegion?: CountryCode): Promise<string> {
    const normalized = kind === 'phone' ? normalizePhone(value, defaultRegion) : normalizeEmail(value);
    const key = await this.keyring.indexKey(tenantId);
    return createHmac('sha256', key).update(`${kind}:${normalized}`, 'utf8').digest('base64url');
  }
}
