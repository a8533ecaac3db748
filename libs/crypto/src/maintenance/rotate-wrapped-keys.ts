import { tablePath } from '@trustline/persistence';
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { openWithKey, sealWithKey } from '../format/ciphertext.format';
import { asBuffer, subjectWrapPlace, type Keyring } from '../keyring/keyring';
import type { KeyProvider } from '../keys/key-provider';
import { isForeignKeyViolation } from '../storage/postgres-errors';

export type RotationPhase = 'tenant-keys' | 'subject-keys' | 'retire';

export interface RotationProgress {
  readonly phase: RotationPhase;
  /** Rows done in this phase so far. */
  readonly done: number;
  /** Rows this phase had to do when it started. */
  readonly total: number;
  readonly activeVersion: number;
}

export interface RotationResult {
  /** New tenant key versions, wrapped under the active root key version. */
  readonly tenantKeys: number;
  /** Subject keys re-wrapped under their tenant's new version. */
  readonly subjectKeys: number;
  /** Old tenant key versions deleted once no subject key needed them. */
  readonly retiredTenantKeys: number;
  /**
   * Tenant key versions still wrapped under an older root key version (0: older root versions can be removed).
   * Non-zero when replicas created subject keys under a version they had cached: run again after the cache TTL.
   */
  readonly remaining: number;
  readonly activeVersion: number;
}

export interface RotationOptions {
  /** Rows per transaction (default 100): each batch commits on its own, so seals and opens never wait long. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: RotationProgress) => void;
}

interface TenantRow {
  tenant_id: string;
  version: number;
  root_key_version: number;
  index_wrapped: unknown;
}

interface SubjectRow {
  tenant_id: string;
  subject_ref: string;
  key_id: unknown;
  wrapped: unknown;
  old_version: number;
  old_root: number;
  old_wrapped: unknown;
  new_version: number;
  new_root: number;
  new_wrapped: unknown;
}

/**
 * After a new root key version became active, in the background with no downtime:
 * 1. every tenant whose current key version is wrapped under an older root version gets a new version (new wrapping
 *    key, same index key so blind indexes stay valid), wrapped under the active root version;
 * 2. every subject key is re-wrapped under its tenant's new version (the data key itself does not change, so
 *    ciphertexts and caches stay valid);
 * 3. tenant key versions no subject key needs any more are deleted.
 * Each batch is its own transaction with SKIP LOCKED, so two runners share the work. Idempotent: run it again until
 * `remaining` is 0, then remove the older root versions from the provider.
 */
export async function rotateWrappedKeys(
  dataSource: DataSource,
  keyring: Keyring,
  options: RotationOptions = {},
): Promise<RotationResult> {
  const provider = keyring.provider;
  const activeVersion = provider.activeVersion;
  const batchSize = options.batchSize ?? 100;
  const tenants = tablePath(dataSource, 'tenant_key');
  const subjects = tablePath(dataSource, 'subject_key');
  const report = (phase: RotationPhase, done: number, total: number): void =>
    options.onProgress?.({ phase, done, total, activeVersion });
  const current = `"version" = (SELECT max(m."version") FROM ${tenants} m WHERE m."tenant_id" = t."tenant_id")`;

  const tenantTotal = await count(dataSource, `${tenants} t WHERE t."root_key_version" <> $1 AND t.${current}`, [
    activeVersion,
  ]);
  let tenantKeys = 0;
  for (;;) {
    const done = await dataSource.transaction(async (manager) => {
      const rows: TenantRow[] = await manager.query(
        `SELECT t."tenant_id", t."version", t."root_key_version", t."index_wrapped" FROM ${tenants} t ` +
          `WHERE t."root_key_version" <> $1 AND t.${current} ORDER BY t."tenant_id" LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [activeVersion, batchSize],
      );
      for (const row of rows) {
        await addTenantVersion(manager, tenants, provider, row);
      }
      return rows.length;
    });
    if (done === 0) {
      break;
    }
    tenantKeys += done;
    report('tenant-keys', tenantKeys, tenantTotal);
  }
  keyring.evictTenantKeys();

  const newest =
    `(SELECT c."tenant_id", c."version", c."root_key_version", c."wrapped" FROM ${tenants} c ` +
    `WHERE c."tenant_id" = s."tenant_id" ORDER BY c."version" DESC LIMIT 1)`;
  const subjectTotal = await count(
    dataSource,
    `${subjects} s JOIN LATERAL ${newest} n ON true WHERE n."version" > s."tenant_key_version"`,
    [],
  );
  const wrappingKeys = new Map<string, KeyObject>();
  const unwrapTenant = async (
    tenantId: string,
    version: number,
    root: number,
    wrapped: unknown,
  ): Promise<KeyObject> => {
    const cacheKey = `${tenantId}\0${version}`;
    let key = wrappingKeys.get(cacheKey);
    if (key === undefined) {
      const bytes = await provider.unwrap(
        { rootKeyVersion: root, ciphertext: asBuffer(wrapped) },
        { tenantId, purpose: 'tenant-wrapping' },
      );
      key = createSecretKey(bytes);
      bytes.fill(0);
      wrappingKeys.set(cacheKey, key);
    }
    return key;
  };
  let subjectKeys = 0;
  for (;;) {
    const done = await dataSource.transaction(async (manager) => {
      const rows: SubjectRow[] = await manager.query(
        `SELECT s."tenant_id", s."subject_ref", s."key_id", s."wrapped", s."tenant_key_version" AS "old_version", ` +
          `o."root_key_version" AS "old_root", o."wrapped" AS "old_wrapped", n."version" AS "new_version", ` +
          `n."root_key_version" AS "new_root", n."wrapped" AS "new_wrapped" FROM ${subjects} s ` +
          `JOIN ${tenants} o ON o."tenant_id" = s."tenant_id" AND o."version" = s."tenant_key_version" ` +
          `JOIN LATERAL ${newest} n ON true WHERE n."version" > s."tenant_key_version" ` +
          `ORDER BY s."tenant_id", s."subject_ref" LIMIT $1 FOR UPDATE OF s SKIP LOCKED`,
        [batchSize],
      );
      for (const row of rows) {
        const oldKey = await unwrapTenant(row.tenant_id, row.old_version, row.old_root, row.old_wrapped);
        const newKey = await unwrapTenant(row.tenant_id, row.new_version, row.new_root, row.new_wrapped);
        const place = subjectWrapPlace(row.tenant_id, row.subject_ref);
        const keyId = asBuffer(row.key_id);
        const keyBytes = openWithKey(oldKey, asBuffer(row.wrapped), place, 'subject key');
        const rewrapped = sealWithKey(newKey, keyId, keyBytes, place);
        keyBytes.fill(0);
        await manager.query(
          `UPDATE ${subjects} SET "wrapped" = $4, "tenant_key_version" = $5 ` +
            `WHERE "tenant_id" = $1 AND "subject_ref" = $2 AND "key_id" = $3`,
          [row.tenant_id, row.subject_ref, keyId, rewrapped, row.new_version],
        );
      }
      return rows.length;
    });
    if (done === 0) {
      break;
    }
    subjectKeys += done;
    report('subject-keys', subjectKeys, subjectTotal);
  }

  // Old versions one by one: a replica that still had one cached may just have inserted a subject key under it; the
  // foreign key then refuses that delete, and the version waits for the next run.
  const retirable: { tenant_id: string; version: number }[] = await dataSource.query(
    `SELECT t."tenant_id", t."version" FROM ${tenants} t WHERE NOT (t.${current}) ORDER BY t."tenant_id", t."version"`,
  );
  let retiredTenantKeys = 0;
  for (const row of retirable) {
    try {
      const [, deleted]: [unknown[], number] = await dataSource.query(
        `DELETE FROM ${tenants} t WHERE t."tenant_id" = $1 AND t."version" = $2 AND NOT EXISTS ` +
          `(SELECT 1 FROM ${subjects} s WHERE s."tenant_id" = t."tenant_id" AND s."tenant_key_version" = t."version")`,
        [row.tenant_id, row.version],
      );
      retiredTenantKeys += deleted;
    } catch (error) {
      if (!isForeignKeyViolation(error)) {
        throw error;
      }
    }
    report('retire', retiredTenantKeys, retirable.length);
  }
  const remaining = await count(dataSource, `${tenants} t WHERE t."root_key_version" <> $1`, [activeVersion]);
  return { tenantKeys, subjectKeys, retiredTenantKeys, remaining, activeVersion };
}

async function addTenantVersion(
  manager: EntityManager,
  tenants: string,
  provider: KeyProvider,
  row: TenantRow,
): Promise<void> {
  const tenantId = row.tenant_id;
  const index = await provider.unwrap(
    { rootKeyVersion: row.root_key_version, ciphertext: asBuffer(row.index_wrapped) },
    { tenantId, purpose: 'tenant-index' },
  );
  const wrapping = randomBytes(32);
  const wrappedWrapping = await provider.wrap(wrapping, { tenantId, purpose: 'tenant-wrapping' });
  const wrappedIndex = await provider.wrap(index, { tenantId, purpose: 'tenant-index' });
  wrapping.fill(0);
  index.fill(0);
  await manager.query(
    `INSERT INTO ${tenants} ("tenant_id", "version", "root_key_version", "wrapped", "index_wrapped") ` +
      `VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [tenantId, row.version + 1, wrappedWrapping.rootKeyVersion, wrappedWrapping.ciphertext, wrappedIndex.ciphertext],
  );
}

async function count(dataSource: DataSource, from: string, parameters: unknown[]): Promise<number> {
  const rows: { count: string }[] = await dataSource.query(`SELECT count(*) AS "count" FROM ${from}`, parameters);
  return Number(rows[0]?.count ?? 0);
}
