import { Injectable } from '@nestjs/common';
import type {
  ConsentAction,
  ConsentChannel,
  ConsentEvidenceV1,
  ConsentPurpose,
  ConsentRecordV1,
  Contracts,
  LawfulBasis,
  PrivacyRegime,
} from '@trustline/contracts';
import { EventPublisher, type StageFn } from '@trustline/messaging';
import { tablePath } from '@trustline/persistence';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { stateAfter } from './purpose-state.rules';

export interface LedgerEntry {
  readonly purpose: ConsentPurpose;
  readonly action: ConsentAction;
  readonly noticeVersion?: number | undefined;
  readonly noticePurposes: readonly ConsentPurpose[];
  readonly lawfulBasis: LawfulBasis;
  readonly channel: ConsentChannel;
  readonly regime: PrivacyRegime;
  readonly language?: string | undefined;
  readonly evidence: ConsentEvidenceV1;
  readonly requestId?: string | undefined;
}

interface RecordRow {
  record_id: string;
  seq: string;
  subject_ref: string;
  purpose: string;
  action: string;
  notice_version: number | null;
  notice_purposes: string[];
  lawful_basis: string;
  channel: string;
  regime: string;
  language: string | null;
  evidence: Record<string, string>;
  recorded_at: Date;
}

const RECORD_COLUMNS = `"record_id", "seq", "subject_ref", "purpose", "action", "notice_version", "notice_purposes",
  "lawful_basis", "channel", "regime", "language", "evidence", "recorded_at"`;

/**
 * The append-only consent ledger and the per-purpose state derived from it. Appending, deriving and announcing
 * (`consent.decision.recorded.v1`, staged in the outbox) happen in the caller's transaction, so the state the
 * send-time check reads never disagrees with the ledger.
 */
@Injectable()
export class ConsentLedgerService {
  constructor(private readonly publisher: EventPublisher) {}

  async append(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    tenantId: string,
    subjectRef: string,
    entries: readonly LedgerEntry[],
  ): Promise<ConsentRecordV1[]> {
    if (entries.length === 0) {
      return [];
    }
    const columns = 13;
    const values = entries.map(
      (_, i) => `(${Array.from({ length: columns }, (__, c) => `$${i * columns + c + 1}`).join(', ')})`,
    );
    const rows: RecordRow[] = await manager.query(
      `INSERT INTO ${tablePath(manager.connection, 'consent_record')}
         ("record_id", "tenant_id", "subject_ref", "purpose", "action", "notice_version", "notice_purposes",
          "lawful_basis", "channel", "regime", "language", "evidence", "request_id")
       VALUES ${values.join(', ')} RETURNING ${RECORD_COLUMNS}`,
      entries.flatMap((entry) => [
        randomUUID(),
        tenantId,
        subjectRef,
        entry.purpose,
        entry.action,
        entry.noticeVersion ?? null,
        [...entry.noticePurposes],
        entry.lawfulBasis,
        entry.channel,
        entry.regime,
        entry.language ?? null,
        JSON.stringify(stripUndefined(entry.evidence)),
        entry.requestId ?? null,
      ]),
    );
    for (const row of rows) {
      await this.derive(manager, tenantId, row);
    }
    const records = rows.map(toRecord);
    for (const record of records) {
      await stage('consent.decision.recorded.v1', this.publisher.envelope(record, { tenantId }));
    }
    return records;
  }

  /** A subject's records, oldest first, after the given sequence number. */
  async history(
    manager: EntityManager,
    tenantId: string,
    subjectRef: string,
    options: { purpose?: ConsentPurpose | undefined; after?: number | undefined; limit: number },
  ): Promise<{ records: ConsentRecordV1[]; nextAfter?: number }> {
    const rows: RecordRow[] = await manager.query(
      `SELECT ${RECORD_COLUMNS} FROM ${tablePath(manager.connection, 'consent_record')}
        WHERE "tenant_id" = $1 AND "subject_ref" = $2 AND "seq" > $3 AND ($4::text IS NULL OR "purpose" = $4)
        ORDER BY "seq" LIMIT $5`,
      [tenantId, subjectRef, options.after ?? 0, options.purpose ?? null, options.limit + 1],
    );
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      records: page.map(toRecord),
      ...(rows.length > options.limit && last ? { nextAfter: Number(last.seq) } : {}),
    };
  }

  /** Records of an earlier call of the record API with this idempotency key. */
  async recordedFor(manager: EntityManager, tenantId: string, requestId: string): Promise<ConsentRecordV1[]> {
    const rows: RecordRow[] = await manager.query(
      `SELECT ${RECORD_COLUMNS} FROM ${tablePath(manager.connection, 'consent_record')}
        WHERE "tenant_id" = $1 AND "request_id" = $2 ORDER BY "seq"`,
      [tenantId, requestId],
    );
    return rows.map(toRecord);
  }

  private async derive(manager: EntityManager, tenantId: string, row: RecordRow): Promise<void> {
    const table = tablePath(manager.connection, 'purpose_state');
    const current: {
      state: string;
      notice_version: number | null;
      platform_stopped: boolean;
      decided_at: Date | null;
    }[] = await manager.query(
      `SELECT "state", "notice_version", "platform_stopped", "decided_at" FROM ${table}
          WHERE "tenant_id" = $1 AND "subject_ref" = $2 AND "purpose" = $3 FOR UPDATE`,
      [tenantId, row.subject_ref, row.purpose],
    );
    const before = current[0];
    const next = stateAfter(
      before
        ? {
            state: before.state,
            noticeVersion: before.notice_version,
            platformStopped: before.platform_stopped,
            decidedAt: before.decided_at,
          }
        : undefined,
      { action: row.action as ConsentAction, noticeVersion: row.notice_version, at: row.recorded_at },
    );
    await manager.query(
      `INSERT INTO ${table} ("tenant_id", "subject_ref", "purpose", "state", "notice_version", "platform_stopped", "decided_at", "last_record_id")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT ("tenant_id", "subject_ref", "purpose") DO UPDATE SET "state" = EXCLUDED."state",
         "notice_version" = EXCLUDED."notice_version", "platform_stopped" = EXCLUDED."platform_stopped",
         "decided_at" = EXCLUDED."decided_at", "last_record_id" = EXCLUDED."last_record_id"`,
      [
        tenantId,
        row.subject_ref,
        row.purpose,
        next.state,
        next.noticeVersion,
        next.platformStopped,
        next.decidedAt,
        row.record_id,
      ],
    );
  }
}

function toRecord(row: RecordRow): ConsentRecordV1 {
  return {
    recordId: row.record_id,
    subjectRef: row.subject_ref,
    purpose: row.purpose as ConsentPurpose,
    action: row.action as ConsentAction,
    ...(row.notice_version === null ? {} : { noticeVersion: row.notice_version }),
    noticePurposes: row.notice_purposes as ConsentPurpose[],
    lawfulBasis: row.lawful_basis as LawfulBasis,
    channel: row.channel as ConsentChannel,
    regime: row.regime as PrivacyRegime,
    ...(row.language === null ? {} : { language: row.language }),
    evidence: row.evidence,
    recordedAt: row.recorded_at.toISOString(),
  };
}

function stripUndefined(evidence: ConsentEvidenceV1): Record<string, string> {
  return Object.fromEntries(
    Object.entries(evidence).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
