import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConsentPurpose, PrivacyRegime } from '@trustline/contracts';
import { tablePath } from '@trustline/persistence';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { samePurposes, type SubjectStatus } from '../flow/consent-flow.rules';
import type { TenantNotices } from '../notices/notice-catalog';
import type { PermissionFacts } from './send-permission.rules';

export interface ConsentStanding extends PermissionFacts {
  readonly regime?: PrivacyRegime | undefined;
  readonly decidedAt?: Date | undefined;
  readonly noticeVersion?: number | undefined;
}

interface StandingRow {
  status: SubjectStatus;
  issued_outbound_id: string | null;
  issued_purpose: string | null;
  regime: string | null;
  state: string | null;
  notice_version: number | null;
  platform_stopped: boolean | null;
  decided_at: Date | null;
}

/**
 * What the send-time check and the check API read: the contact's standing and one purpose's state, in one
 * primary-key lookup (subject LEFT JOIN purpose state), straight from the tables the ledger writes in its own
 * transaction. Nothing is cached: an opt-out committed a moment ago is what the next check sees.
 */
@Injectable()
export class ConsentStateReader {
  private sql: string | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async standing(
    tenantId: string,
    subjectRef: string,
    purpose: ConsentPurpose | undefined,
    notices: TenantNotices | undefined,
  ): Promise<ConsentStanding | undefined> {
    // Straight to the driver's pool as a named (prepared) statement: this runs once per message sent, and skipping
    // the query runner and the per-call parse and plan is most of what separates it from a bare indexed lookup.
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query<StandingRow>({
      name: 'consent-standing',
      text: this.query(),
      values: [tenantId, subjectRef, purpose ?? null],
    });
    const row = rows[0];
    if (row === undefined) {
      return undefined;
    }
    const noticeVersion = row.notice_version ?? undefined;
    const decided = noticeVersion === undefined ? undefined : notices?.version(noticeVersion);
    return {
      status: row.status,
      issuedOutboundId: row.issued_outbound_id ?? undefined,
      issuedPurpose: row.issued_purpose ?? undefined,
      regime: (row.regime as PrivacyRegime | null) ?? undefined,
      decidedAt: row.decided_at ?? undefined,
      noticeVersion,
      purposeState:
        purpose === undefined || row.state === null
          ? undefined
          : {
              purpose,
              state: row.state as 'granted',
              noticeCurrent: decided !== undefined && notices !== undefined && samePurposes(decided, notices.current),
              platformStopped: row.platform_stopped ?? false,
            },
    };
  }

  private query(): string {
    this.sql ??= `SELECT s."status", s."issued_outbound_id", s."issued_purpose", s."regime", p."state", p."notice_version",
        p."platform_stopped", p."decided_at"
       FROM ${tablePath(this.dataSource, 'consent_subject')} s
       LEFT JOIN ${tablePath(this.dataSource, 'purpose_state')} p
         ON p."tenant_id" = s."tenant_id" AND p."subject_ref" = s."subject_ref" AND p."purpose" = $3
      WHERE s."tenant_id" = $1 AND s."subject_ref" = $2`;
    return this.sql;
  }
}
