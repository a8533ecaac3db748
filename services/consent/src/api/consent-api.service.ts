import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ConsentCheckRequestV1,
  ConsentCheckResponseV1,
  ConsentHistoryRequestV1,
  ConsentHistoryResponseV1,
  ConsentRecordRequestV1,
  ConsentRecordResponseV1,
  Contracts,
  PrivacyRegime,
  ServiceName,
} from '@trustline/contracts';
import { Outbox } from '@trustline/messaging';
import { DataSource } from 'typeorm';
import type { ConsentSubjectEntity } from '../flow/consent-subject.entity';
import { ConsentSubjectsService } from '../flow/consent-subjects.service';
import { ConsentLedgerService } from '../ledger/consent-ledger.service';
import { NoticeCatalog } from '../notices/notice-catalog';
import { ConsentStateReader } from '../permission/consent-state.reader';
import { ConsentApi, ConsentApiRejection } from './consent-api';
import { statusAfterRecord } from './recorded-decision.rules';

const DEFAULT_HISTORY_PAGE = 100;

/** consent's internal API (check, history, record), served over NATS and gRPC alike. */
@Injectable()
export class ConsentApiService extends ConsentApi {
  constructor(
    private readonly reader: ConsentStateReader,
    private readonly catalog: NoticeCatalog,
    private readonly ledger: ConsentLedgerService,
    private readonly subjects: ConsentSubjectsService,
    private readonly outbox: Outbox<Contracts>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async check(tenantId: string, request: ConsentCheckRequestV1): Promise<ConsentCheckResponseV1> {
    const standing = await this.reader.standing(
      tenantId,
      request.subjectRef,
      request.purpose,
      this.catalog.forTenant(tenantId),
    );
    const state = standing?.purposeState;
    const suppressed = standing?.status === 'opted-out';
    const platformStopped = state?.platformStopped ?? false;
    const granted = state?.state === 'granted' && state.noticeCurrent;
    return {
      allowed: granted && !suppressed && !platformStopped,
      state: state?.state ?? 'undecided',
      suppressed,
      platformStopped,
      ...(state && standing?.noticeVersion !== undefined ? { noticeVersion: standing.noticeVersion } : {}),
      ...(standing?.regime ? { regime: standing.regime } : {}),
      ...(state && standing?.decidedAt ? { decidedAt: standing.decidedAt.toISOString() } : {}),
    };
  }

  history(tenantId: string, request: ConsentHistoryRequestV1): Promise<ConsentHistoryResponseV1> {
    return this.ledger.history(this.dataSource.manager, tenantId, request.subjectRef, {
      purpose: request.purpose,
      after: request.after,
      limit: request.limit ?? DEFAULT_HISTORY_PAGE,
    });
  }

  async record(
    tenantId: string,
    caller: ServiceName,
    request: ConsentRecordRequestV1,
  ): Promise<ConsentRecordResponseV1> {
    const tenant = this.catalog.forTenant(tenantId);
    if (tenant === undefined) {
      throw new ConsentApiRejection('not-found', `no consent policy for tenant ${tenantId}`);
    }
    if (request.evidence.reference === undefined) {
      throw new ConsentApiRejection(
        'invalid',
        'evidence.reference is required for a decision recorded through the API',
      );
    }
    const notice = request.noticeVersion === undefined ? tenant.current : tenant.version(request.noticeVersion);
    if (notice === undefined) {
      throw new ConsentApiRejection('invalid', `notice version ${request.noticeVersion} does not exist`);
    }
    return this.outbox.transaction(this.dataSource, async (manager, stage) => {
      const earlier = await this.ledger.recordedFor(manager, tenantId, request.requestId);
      if (earlier.length > 0) {
        return { records: earlier };
      }
      const { row } = await this.subjects.lockOrCreate(manager, { tenantId, subjectRef: request.subjectRef });
      const records = await this.ledger.append(
        manager,
        stage,
        tenantId,
        row.subjectRef,
        request.purposes.map((purpose) => ({
          purpose,
          action: request.action,
          noticeVersion: notice.version,
          noticePurposes: notice.purposes.map((p) => p.purpose),
          lawfulBasis:
            request.lawfulBasis ?? notice.purposes.find((p) => p.purpose === purpose)?.lawfulBasis ?? 'consent',
          channel: 'api',
          regime: regimeOf(row, tenant.policy.establishment),
          language: row.language ?? undefined,
          evidence: { ...request.evidence, actor: request.evidence.actor ?? caller },
          requestId: request.requestId,
        })),
      );
      const next = statusAfterRecord(row.status, request.action, request.purposes);
      const changes: Partial<ConsentSubjectEntity> = {};
      if (next !== row.status) {
        changes.status = next;
        changes.decidedAt = new Date();
      }
      if (request.action === 'granted' && request.purposes.includes('assistant')) {
        changes.grantedVersion = notice.version;
        changes.grantedPurposes = [...request.purposes];
      }
      await this.subjects.update(manager, row, changes);
      return { records };
    });
  }
}

function regimeOf(row: ConsentSubjectEntity, establishment: PrivacyRegime | undefined): PrivacyRegime {
  return (row.regime as PrivacyRegime | null) ?? establishment ?? 'baseline';
}
