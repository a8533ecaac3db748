import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConsentPurpose } from '@trustline/contracts';
import { tablePath } from '@trustline/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { SubjectSnapshot } from './consent-flow.rules';
import { ConsentSubjectEntity } from './consent-subject.entity';

export interface NewSubject {
  readonly tenantId: string;
  readonly subjectRef: string;
  readonly language?: string | undefined;
  readonly region?: string | undefined;
  readonly regime?: string | undefined;
  readonly waIdIndex?: string | undefined;
  readonly userIdIndex?: string | undefined;
}

/** consent's contacts: found, created and locked (one decision at a time per contact). */
@Injectable()
export class ConsentSubjectsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(tenantId: string, subjectRef: string): Promise<ConsentSubjectEntity | null> {
    return this.dataSource.getRepository(ConsentSubjectEntity).findOneBy({ tenantId, subjectRef });
  }

  /** The subject row, created as `new` when missing, locked until the transaction ends. */
  async lockOrCreate(
    manager: EntityManager,
    subject: NewSubject,
  ): Promise<{ row: ConsentSubjectEntity; created: boolean }> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${tablePath(manager.connection, 'consent_subject')}
         ("tenant_id", "subject_ref", "status", "language", "region", "regime", "wa_id_index", "user_id_index")
       VALUES ($1, $2, 'new', $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING "subject_ref"`,
      [
        subject.tenantId,
        subject.subjectRef,
        subject.language ?? null,
        subject.region ?? null,
        subject.regime ?? null,
        subject.waIdIndex ?? null,
        subject.userIdIndex ?? null,
      ],
    );
    const row = await manager
      .getRepository(ConsentSubjectEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.tenantId = :tenantId AND s.subjectRef = :subjectRef', subject)
      .getOneOrFail();
    return { row, created: inserted.length > 0 };
  }

  async update(
    manager: EntityManager,
    row: ConsentSubjectEntity,
    changes: Partial<ConsentSubjectEntity>,
  ): Promise<void> {
    if (Object.keys(changes).length === 0) {
      return;
    }
    await manager
      .getRepository(ConsentSubjectEntity)
      .update({ tenantId: row.tenantId, subjectRef: row.subjectRef }, changes);
    Object.assign(row, changes);
  }
}

export function snapshotOf(row: ConsentSubjectEntity | null): SubjectSnapshot {
  if (row === null) {
    return { status: 'new', grantedPurposes: [] };
  }
  return {
    status: row.status,
    lastPromptedAt: row.lastPromptedAt ?? undefined,
    promptedVersion: row.promptedVersion ?? undefined,
    grantedVersion: row.grantedVersion ?? undefined,
    grantedPurposes: row.grantedPurposes as ConsentPurpose[],
  };
}
