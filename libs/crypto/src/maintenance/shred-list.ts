import { tablePath } from '@trustline/persistence';
import type { DataSource } from 'typeorm';
import type { Keyring } from '../keyring/keyring';

/** One destroyed key: identifiers only, safe to keep outside the database (no personal data). */
export interface ShredRecord {
  readonly tenantId: string;
  readonly subjectRef: string;
  /** Hex of the destroyed key id. */
  readonly keyId: string;
  /** ISO-8601. */
  readonly shreddedAt: string;
}

export interface ReapplyResult {
  /** Records added to the shred list (missing after the restore). */
  readonly recorded: number;
  /** Subject keys the restore had brought back and that are destroyed again. */
  readonly destroyed: number;
}

const HEX_KEY_ID = /^[0-9a-f]{16}$/;

/** The whole shred list, to copy after every erasure to storage that a database restore does not roll back. */
export async function exportShredList(dataSource: DataSource): Promise<ShredRecord[]> {
  const rows: { tenant_id: string; subject_ref: string; key_id: string; shredded_at: Date | string }[] =
    await dataSource.query(
      `SELECT "tenant_id", "subject_ref", encode("key_id", 'hex') AS "key_id", "shredded_at" ` +
        `FROM ${tablePath(dataSource, 'shred_list')} ORDER BY "shredded_at", "tenant_id", "subject_ref"`,
    );
  return rows.map((row) => ({
    tenantId: row.tenant_id,
    subjectRef: row.subject_ref,
    keyId: row.key_id,
    shreddedAt: new Date(row.shredded_at).toISOString(),
  }));
}

/**
 * After a restore: merges `records` (the shred list kept outside the backup; default: none, only the restored
 * table) into the shred list, then destroys every subject key the list names, in one transaction, and evicts them
 * from `keyring`'s cache. Idempotent; a key re-created for a returning contact (another key id) is left alone.
 */
export async function reapplyShredList(
  dataSource: DataSource,
  records: readonly ShredRecord[] = [],
  keyring?: Keyring,
): Promise<ReapplyResult> {
  records.forEach((record, index) => {
    if (!HEX_KEY_ID.test(record.keyId) || Number.isNaN(Date.parse(record.shreddedAt))) {
      throw new TypeError(`shred record ${index + 1}: malformed keyId or shreddedAt`);
    }
  });
  const shredList = tablePath(dataSource, 'shred_list');
  const subjectKeys = tablePath(dataSource, 'subject_key');
  const result = await dataSource.transaction(async (manager) => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${shredList} ("tenant_id", "subject_ref", "key_id", "shredded_at") ` +
        `SELECT t, s, decode(k, 'hex'), a::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ` +
        `AS r(t, s, k, a) ON CONFLICT DO NOTHING RETURNING 1`,
      [
        records.map((record) => record.tenantId),
        records.map((record) => record.subjectRef),
        records.map((record) => record.keyId),
        records.map((record) => record.shreddedAt),
      ],
    );
    const [destroyed]: [{ tenant_id: string; subject_ref: string }[], number] = await manager.query(
      `DELETE FROM ${subjectKeys} k USING ${shredList} l WHERE k."tenant_id" = l."tenant_id" ` +
        `AND k."subject_ref" = l."subject_ref" AND k."key_id" = l."key_id" RETURNING k."tenant_id", k."subject_ref"`,
    );
    return { recorded: inserted.length, destroyed };
  });
  for (const row of result.destroyed) {
    keyring?.evictSubject(row.tenant_id, row.subject_ref);
  }
  return { recorded: result.recorded, destroyed: result.destroyed.length };
}
