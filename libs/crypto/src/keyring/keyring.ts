import { tablePath } from '@trustline/persistence';
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { noopCryptoLogger, type CryptoLogger } from '../crypto-logger';
import { SubjectErasedError } from '../errors/subject-erased.error';
import { UnknownKeyError } from '../errors/unknown-key.error';
import { KEY_ID_BYTES, openWithKey, placeBytes, sealWithKey } from '../format/ciphertext.format';
import type { KeyProvider } from '../keys/key-provider';
import { isForeignKeyViolation } from '../storage/postgres-errors';
import { ExpiringLru } from './expiring-lru';

export interface KeyringOptions {
  /** How long an unwrapped key stays cached (default 60 s): the longest another replica may use a shredded key. */
  readonly cacheTtlMs?: number;
  /** Most subject keys cached (default 10,000); tenant keys get a tenth of it, at least 100. */
  readonly cacheMaxEntries?: number;
  readonly logger?: CryptoLogger;
  /** Called after a shred commits, e.g. to copy the record to storage that a database restore does not roll back. */
  readonly onShredded?: (record: ShreddedKey) => Promise<void>;
}

/** A subject data key, unwrapped. */
export interface SubjectKey {
  readonly keyId: Buffer;
  readonly key: KeyObject;
}

export interface ShreddedKey {
  readonly tenantId: string;
  readonly subjectRef: string;
  /** Hex of the destroyed key's id. */
  readonly keyId: string;
}

/** The current version of a tenant's keys. */
interface TenantKeys {
  readonly version: number;
  readonly wrapping: KeyObject;
  readonly index: KeyObject;
}

interface SubjectKeyRow {
  key_id: unknown;
  wrapped: unknown;
  shredded: boolean;
  tenant_key_version: number;
  root_key_version: number;
  tenant_wrapped: unknown;
}

const SEPARATOR = '\0';

/**
 * The key hierarchy of one service schema: root key (KeyProvider) → per-tenant wrapping and index keys → per-subject
 * data keys, created on first use and stored wrapped in the service's own tables. Unwrapped keys are cached (bounded,
 * with expiry). Safe across replicas: concurrent first use converges on one stored key (insert-if-absent, re-read).
 */
export class Keyring {
  private readonly subjects: ExpiringLru<SubjectKey>;
  private readonly tenants: ExpiringLru<TenantKeys>;
  /** Tenant wrapping keys by tenant and version (older versions are needed until rotation has re-wrapped). */
  private readonly wrappingKeys: ExpiringLru<KeyObject>;
  private readonly pending = new Map<string, Promise<SubjectKey>>();
  private readonly logger: CryptoLogger;

  constructor(
    private readonly dataSource: DataSource,
    readonly provider: KeyProvider,
    private readonly options: KeyringOptions = {},
  ) {
    const ttl = options.cacheTtlMs ?? 60_000;
    const max = options.cacheMaxEntries ?? 10_000;
    this.subjects = new ExpiringLru(max, ttl);
    this.tenants = new ExpiringLru(Math.max(100, Math.floor(max / 10)), ttl);
    this.wrappingKeys = new ExpiringLru(Math.max(100, Math.floor(max / 10)), ttl);
    this.logger = options.logger ?? noopCryptoLogger;
  }

  /** The subject's key if this process has it cached (the synchronous fast path of seal and open). */
  cachedKey(tenantId: string, subjectRef: string): SubjectKey | undefined {
    return this.subjects.get(tenantId + SEPARATOR + subjectRef);
  }

  /** The subject's current key, created (and stored) on first use. */
  async sealingKey(tenantId: string, subjectRef: string): Promise<SubjectKey> {
    const cacheKey = tenantId + SEPARATOR + subjectRef;
    const cached = this.subjects.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    // One database round trip per subject and process, however many seals wait for it.
    let loading = this.pending.get(cacheKey);
    if (loading === undefined) {
      loading = this.loadOrCreate(tenantId, subjectRef, cacheKey).finally(() => this.pending.delete(cacheKey));
      this.pending.set(cacheKey, loading);
    }
    return loading;
  }

  /**
   * The subject key with id `keyId`, to open a ciphertext. SubjectErasedError when that key was shredded,
   * UnknownKeyError when it never existed here.
   */
  async openingKey(tenantId: string, subjectRef: string, keyId: Uint8Array, field: string): Promise<KeyObject> {
    const cacheKey = tenantId + SEPARATOR + subjectRef;
    const cached = this.subjects.get(cacheKey);
    if (cached !== undefined && cached.keyId.equals(keyId)) {
      return cached.key;
    }
    const current = await this.load(tenantId, subjectRef, cacheKey);
    if (current !== undefined && current.keyId.equals(keyId)) {
      return current.key;
    }
    if (await this.isShredded(tenantId, subjectRef, keyId)) {
      throw new SubjectErasedError(field);
    }
    throw new UnknownKeyError(`${field} (key id not found for this subject)`);
  }

  /** The tenant's blind-index key, created on first use. */
  async indexKey(tenantId: string): Promise<KeyObject> {
    return (await this.tenantKeys(tenantId)).index;
  }

  /**
   * Crypto-shredding: destroys the subject's key and records its id in the shred list (one transaction), then
   * evicts it here. Other replicas stop using it when they receive the erasure event (evictSubject) or at the latest
   * when their cache entry expires. Idempotent. Returns how many keys were destroyed (0 or 1).
   */
  async shred(tenantId: string, subjectRef: string): Promise<number> {
    const subjectKeys = tablePath(this.dataSource, 'subject_key');
    const shredList = tablePath(this.dataSource, 'shred_list');
    const destroyed = await this.dataSource.transaction(async (manager) => {
      const [rows]: [{ key_id: unknown }[], number] = await manager.query(
        `DELETE FROM ${subjectKeys} WHERE "tenant_id" = $1 AND "subject_ref" = $2 RETURNING "key_id"`,
        [tenantId, subjectRef],
      );
      for (const row of rows) {
        await manager.query(
          `INSERT INTO ${shredList} ("tenant_id", "subject_ref", "key_id") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [tenantId, subjectRef, asBuffer(row.key_id)],
        );
      }
      return rows.map((row) => asBuffer(row.key_id).toString('hex'));
    });
    this.evictSubject(tenantId, subjectRef);
    for (const keyId of destroyed) {
      await this.options.onShredded?.({ tenantId, subjectRef, keyId });
    }
    this.logger.info({ destroyedKeys: destroyed.length }, 'subject key shredded');
    return destroyed.length;
  }

  /** Drops the subject's key from this process's cache (call it on `dsar.erasure.requested.v1`). */
  evictSubject(tenantId: string, subjectRef: string): void {
    this.subjects.delete(tenantId + SEPARATOR + subjectRef);
  }

  /** Drops every cached key (e.g. after a restore). */
  evictAll(): void {
    this.subjects.clear();
    this.tenants.clear();
    this.wrappingKeys.clear();
  }

  /** Forgets which tenant key version is current (rotation calls it after adding versions). */
  evictTenantKeys(): void {
    this.tenants.clear();
  }

  private async loadOrCreate(tenantId: string, subjectRef: string, cacheKey: string): Promise<SubjectKey> {
    const existing = await this.load(tenantId, subjectRef, cacheKey);
    if (existing !== undefined) {
      return existing;
    }
    for (let attempt = 1; ; attempt += 1) {
      const tenant = await this.tenantKeys(tenantId);
      const keyId = randomBytes(KEY_ID_BYTES);
      const keyBytes = randomBytes(32);
      const wrapped = sealWithKey(tenant.wrapping, keyId, keyBytes, subjectWrapPlace(tenantId, subjectRef));
      keyBytes.fill(0);
      // The loser of a concurrent first use inserts nothing and reads the winner's key: nothing is ever sealed
      // under a key that was not stored. The foreign key on the tenant key version fails the insert if rotation
      // retired that version meanwhile: then the current version is read again.
      try {
        await this.dataSource.query(
          `INSERT INTO ${tablePath(this.dataSource, 'subject_key')} ` +
            `("tenant_id", "subject_ref", "key_id", "tenant_key_version", "wrapped") ` +
            `VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [tenantId, subjectRef, keyId, tenant.version, wrapped],
        );
      } catch (error) {
        if (attempt < 3 && isForeignKeyViolation(error)) {
          this.tenants.delete(tenantId);
          continue;
        }
        throw error;
      }
      const stored = await this.load(tenantId, subjectRef, cacheKey);
      if (stored === undefined) {
        throw new UnknownKeyError('subject key (vanished right after creation: shredded concurrently)');
      }
      return stored;
    }
  }

  /** Reads, unwraps and caches the subject's current key; undefined when there is none (or it is shredded). */
  private async load(tenantId: string, subjectRef: string, cacheKey: string): Promise<SubjectKey | undefined> {
    const subjectKeys = tablePath(this.dataSource, 'subject_key');
    const shredList = tablePath(this.dataSource, 'shred_list');
    // One statement reads the subject key with the tenant key version that wraps it: rotation cannot retire that
    // version between two reads.
    const rows: SubjectKeyRow[] = await this.dataSource.query(
      `SELECT s."key_id", s."wrapped", s."tenant_key_version", t."root_key_version", t."wrapped" AS "tenant_wrapped", ` +
        `EXISTS (SELECT 1 FROM ${shredList} l WHERE l."tenant_id" = s."tenant_id" ` +
        `AND l."subject_ref" = s."subject_ref" AND l."key_id" = s."key_id") AS "shredded" ` +
        `FROM ${subjectKeys} s JOIN ${tablePath(this.dataSource, 'tenant_key')} t ` +
        `ON t."tenant_id" = s."tenant_id" AND t."version" = s."tenant_key_version" ` +
        `WHERE s."tenant_id" = $1 AND s."subject_ref" = $2`,
      [tenantId, subjectRef],
    );
    const row = rows[0];
    if (row === undefined) {
      return undefined;
    }
    const keyId = asBuffer(row.key_id);
    if (row.shredded) {
      // A key the shred list says is destroyed came back (a restored backup): destroy it again.
      await this.dataSource.query(
        `DELETE FROM ${subjectKeys} WHERE "tenant_id" = $1 AND "subject_ref" = $2 AND "key_id" = $3`,
        [tenantId, subjectRef, keyId],
      );
      this.logger.warn({}, 'destroyed a shredded subject key that a restore brought back');
      return undefined;
    }
    const wrapping = await this.wrappingKey(tenantId, row.tenant_key_version, row.root_key_version, row.tenant_wrapped);
    const keyBytes = openWithKey(
      wrapping,
      asBuffer(row.wrapped),
      subjectWrapPlace(tenantId, subjectRef),
      'subject key',
    );
    const subjectKey: SubjectKey = { keyId, key: createSecretKey(keyBytes) };
    keyBytes.fill(0);
    this.subjects.set(cacheKey, subjectKey);
    return subjectKey;
  }

  private async wrappingKey(
    tenantId: string,
    version: number,
    rootKeyVersion: number,
    wrapped: unknown,
  ): Promise<KeyObject> {
    const cacheKey = tenantId + SEPARATOR + String(version);
    const cached = this.wrappingKeys.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    const bytes = await this.provider.unwrap(
      { rootKeyVersion, ciphertext: asBuffer(wrapped) },
      { tenantId, purpose: 'tenant-wrapping' },
    );
    const key = createSecretKey(bytes);
    bytes.fill(0);
    this.wrappingKeys.set(cacheKey, key);
    return key;
  }

  private async isShredded(tenantId: string, subjectRef: string, keyId: Uint8Array): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM ${tablePath(this.dataSource, 'shred_list')} ` +
        `WHERE "tenant_id" = $1 AND "subject_ref" = $2 AND "key_id" = $3`,
      [tenantId, subjectRef, Buffer.from(keyId)],
    );
    return rows.length > 0;
  }

  private async tenantKeys(tenantId: string): Promise<TenantKeys> {
    const cached = this.tenants.get(tenantId);
    if (cached !== undefined) {
      return cached;
    }
    const table = tablePath(this.dataSource, 'tenant_key');
    const read = async (): Promise<TenantKeyRow | undefined> => {
      const rows: TenantKeyRow[] = await this.dataSource.query(
        `SELECT "version", "root_key_version", "wrapped", "index_wrapped" FROM ${table} WHERE "tenant_id" = $1 ` +
          `ORDER BY "version" DESC LIMIT 1`,
        [tenantId],
      );
      return rows[0];
    };
    let row = await read();
    if (row === undefined) {
      const wrapping = randomBytes(32);
      const index = randomBytes(32);
      const wrappedWrapping = await this.provider.wrap(wrapping, { tenantId, purpose: 'tenant-wrapping' });
      const wrappedIndex = await this.provider.wrap(index, { tenantId, purpose: 'tenant-index' });
      wrapping.fill(0);
      index.fill(0);
      await this.dataSource.query(
        `INSERT INTO ${table} ("tenant_id", "version", "root_key_version", "wrapped", "index_wrapped") ` +
          `VALUES ($1, 1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [tenantId, wrappedWrapping.rootKeyVersion, wrappedWrapping.ciphertext, wrappedIndex.ciphertext],
      );
      row = await read();
      if (row === undefined) {
        throw new UnknownKeyError('tenant key (vanished right after creation)');
      }
    }
    const wrapping = await this.wrappingKey(tenantId, row.version, row.root_key_version, row.wrapped);
    const indexBytes = await this.provider.unwrap(
      { rootKeyVersion: row.root_key_version, ciphertext: asBuffer(row.index_wrapped) },
      { tenantId, purpose: 'tenant-index' },
    );
    const keys: TenantKeys = { version: row.version, wrapping, index: createSecretKey(indexBytes) };
    indexBytes.fill(0);
    this.tenants.set(tenantId, keys);
    return keys;
  }
}

interface TenantKeyRow {
  version: number;
  root_key_version: number;
  wrapped: unknown;
  index_wrapped: unknown;
}

export function subjectWrapPlace(tenantId: string, subjectRef: string): Buffer {
  return placeBytes({ tenantId, subjectRef, field: 'subject-key' });
}

/** node-postgres returns bytea as Buffer; PGlite's adapter may return a Uint8Array. */
export function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) {
    return value;
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new TypeError('expected a bytea value');
}
