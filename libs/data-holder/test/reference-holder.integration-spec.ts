import type { DataHolder, DataSubject, ExportSection, OperationResult, SweepRequest } from '@trustline/data-holder';
import { describeDataHolderContract, type DataHolderFixture } from '@trustline/data-holder/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A minimal holder over one real PostgreSQL table: the reference implementation that proves the kit itself
 * catches what it should (and that a straightforward holder passes it).
 */
class NoteHolder implements DataHolder {
  readonly categories = ['notes'];

  constructor(
    private readonly db: Client,
    private readonly table: string,
  ) {}

  async export(subject: DataSubject): Promise<ExportSection[]> {
    const { rows } = await this.db.query<{ note: string; created_at: Date }>(
      `SELECT note, created_at FROM ${this.table} WHERE tenant_id = $1 AND subject_ref = $2 ORDER BY id`,
      [subject.tenantId, subject.subjectRef],
    );
    return rows.length === 0
      ? []
      : [{ category: 'notes', records: rows.map((r) => ({ note: r.note, createdAt: r.created_at.toISOString() })) }];
  }

  async erase(subject: DataSubject): Promise<OperationResult> {
    const { rowCount } = await this.db.query(`DELETE FROM ${this.table} WHERE tenant_id = $1 AND subject_ref = $2`, [
      subject.tenantId,
      subject.subjectRef,
    ]);
    return { affected: rowCount ?? 0 };
  }

  async rectify(subject: DataSubject, fields: Readonly<Record<string, string>>): Promise<OperationResult> {
    const note = fields.note;
    if (note === undefined) {
      return { affected: 0 };
    }
    const { rowCount } = await this.db.query(
      `UPDATE ${this.table} SET note = $3 WHERE tenant_id = $1 AND subject_ref = $2 AND note IS DISTINCT FROM $3`,
      [subject.tenantId, subject.subjectRef, note],
    );
    return { affected: rowCount ?? 0 };
  }

  async sweep(request: SweepRequest): Promise<OperationResult> {
    if (!this.categories.includes(request.category)) {
      return { affected: 0 };
    }
    let affected = 0;
    for (;;) {
      const { rowCount } = await this.db.query(
        `DELETE FROM ${this.table} WHERE id IN (
           SELECT id FROM ${this.table} WHERE tenant_id = $1 AND created_at < $2 ORDER BY id LIMIT $3)`,
        [request.tenantId, request.cutoff, request.batchSize],
      );
      affected += rowCount ?? 0;
      if ((rowCount ?? 0) < request.batchSize) {
        return { affected };
      }
    }
  }
}

describeDataHolderContract('a reference table holder on PostgreSQL', async (): Promise<DataHolderFixture> => {
  const db = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await db.connect();
  const schema = `kit_${randomBytes(4).toString('hex')}`;
  const table = `${schema}.note`;
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${table} (
    id bigserial PRIMARY KEY, tenant_id text NOT NULL, subject_ref text NOT NULL, note text NOT NULL,
    created_at timestamptz NOT NULL)`);
  return {
    holder: new NoteHolder(db, table),
    category: 'notes',
    field: 'note',
    seed: async (subject, record) => {
      await db.query(`INSERT INTO ${table} (tenant_id, subject_ref, note, created_at) VALUES ($1, $2, $3, $4)`, [
        subject.tenantId,
        subject.subjectRef,
        record.value,
        record.createdAt,
      ]);
    },
    rawDump: async () => JSON.stringify((await db.query(`SELECT * FROM ${table}`)).rows),
    close: async () => {
      await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.end();
    },
  };
});
