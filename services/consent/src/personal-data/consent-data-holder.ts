import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FieldCipher, Keyring } from '@trustline/crypto';
import type { DataHolder, DataSubject, ExportSection, OperationResult, SweepRequest } from '@trustline/data-holder';
import { affectedRows, tablePath } from '@trustline/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { ConsentSubjectEntity } from '../flow/consent-subject.entity';
import { HeldMessageEntity, heldPayloadPlace } from '../flow/held-message.entity';
import { ConsentLedgerService } from '../ledger/consent-ledger.service';

/** What consent keeps on a person, by retention category. */
export const CONSENT_DATA_CATEGORIES = ['consent-profile', 'consent-ledger', 'held-messages'] as const;

const LANGUAGE = /^[a-z]{2}$/;

/**
 * consent as a data holder. Erasure keeps exactly one thing, and only for a contact who had opted out: a
 * suppression tombstone made of blind indexes (no reference, nothing readable), so that erasing someone's data
 * never makes them reachable again. Everything else goes: keys first (held messages become unreadable at once),
 * then rows — the ledger through the one door its append-only trigger leaves open.
 */
@Injectable()
export class ConsentDataHolder implements DataHolder {
  readonly categories = CONSENT_DATA_CATEGORIES;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly keyring: Keyring,
    private readonly ledger: ConsentLedgerService,
  ) {}

  async export({ tenantId, subjectRef }: DataSubject): Promise<ExportSection[]> {
    const subject = await this.dataSource.getRepository(ConsentSubjectEntity).findOneBy({ tenantId, subjectRef });
    if (!subject) {
      return [];
    }
    const states: { purpose: string; state: string; notice_version: number | null; platform_stopped: boolean }[] =
      await this.dataSource.query(
        `SELECT "purpose", "state", "notice_version", "platform_stopped" FROM ${this.table('purpose_state')}
          WHERE "tenant_id" = $1 AND "subject_ref" = $2 ORDER BY "purpose"`,
        [tenantId, subjectRef],
      );
    const sections: ExportSection[] = [
      {
        category: 'consent-profile',
        records: [
          {
            status: subject.status,
            language: subject.language,
            region: subject.region,
            regime: subject.regime,
            purposes: states.map((s) => ({
              purpose: s.purpose,
              state: s.state,
              noticeVersion: s.notice_version,
              stoppedInWhatsApp: s.platform_stopped,
            })),
            firstSeenAt: subject.createdAt.toISOString(),
          },
        ],
      },
    ];
    const records: Record<string, unknown>[] = [];
    for (let after: number | undefined = 0; after !== undefined;) {
      const page = await this.ledger.history(this.dataSource.manager, tenantId, subjectRef, { after, limit: 500 });
      records.push(...page.records.map((record) => ({ ...record })));
      after = page.nextAfter;
    }
    if (records.length > 0) {
      sections.push({ category: 'consent-ledger', records });
    }
    const held = await this.dataSource
      .getRepository(HeldMessageEntity)
      .find({ where: { tenantId, subjectRef }, order: { sentAt: 'ASC' } });
    if (held.length > 0) {
      const opened = [];
      for (const message of held) {
        const payload = JSON.parse(
          await this.cipher.openText(message.payload, heldPayloadPlace(tenantId, subjectRef, message.messageId)),
        ) as { content: string };
        opened.push({
          messageId: message.messageId,
          type: message.type,
          sentAt: message.sentAt.toISOString(),
          content: JSON.parse(payload.content) as unknown,
        });
      }
      sections.push({ category: 'held-messages', records: opened });
    }
    return sections;
  }

  async erase({ tenantId, subjectRef }: DataSubject): Promise<OperationResult> {
    const keys = await this.keyring.shred(tenantId, subjectRef);
    const rows = await this.dataSource.transaction(async (manager) => {
      const subject = await manager.getRepository(ConsentSubjectEntity).findOneBy({ tenantId, subjectRef });
      if (subject?.status === 'opted-out' && (subject.waIdIndex !== null || subject.userIdIndex !== null)) {
        await manager.query(
          `INSERT INTO ${this.table('suppression_tombstone')} ("tenant_id", "wa_id_index", "user_id_index")
           VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [tenantId, subject.waIdIndex, subject.userIdIndex],
        );
      }
      return this.deleteSubjectRows(manager, tenantId, subjectRef);
    });
    return { affected: keys + rows };
  }

  async rectify(
    { tenantId, subjectRef }: DataSubject,
    fields: Readonly<Record<string, string>>,
  ): Promise<OperationResult> {
    const language = fields.language;
    if (language === undefined || !LANGUAGE.test(language)) {
      return { affected: 0 };
    }
    const result = await this.dataSource
      .getRepository(ConsentSubjectEntity)
      .createQueryBuilder()
      .update()
      .set({ language })
      .where('tenantId = :tenantId AND subjectRef = :subjectRef', { tenantId, subjectRef })
      .andWhere('("language" IS NULL OR "language" <> :language)', { language })
      .execute();
    return { affected: result.affected ?? 0 };
  }

  async sweep({ tenantId, category, cutoff, batchSize }: SweepRequest): Promise<OperationResult> {
    switch (category) {
      case 'held-messages':
        return this.sweepBatches(
          `DELETE FROM ${this.table('held_message')} WHERE ctid IN (
            SELECT ctid FROM ${this.table('held_message')} WHERE "tenant_id" = $1 AND "held_at" < $2 LIMIT $3)`,
          [tenantId, cutoff, batchSize],
        );
      case 'consent-ledger':
        // Old records go, except each purpose's latest: the current state must stay provable.
        return this.sweepBatches(
          `DELETE FROM ${this.table('consent_record')} WHERE ctid IN (
            SELECT r.ctid FROM ${this.table('consent_record')} r
             WHERE r."tenant_id" = $1 AND r."recorded_at" < $2
               AND NOT EXISTS (SELECT 1 FROM ${this.table('purpose_state')} p WHERE p."last_record_id" = r."record_id")
             LIMIT $3)`,
          [tenantId, cutoff, batchSize],
        );
      default:
        return { affected: 0 };
    }
  }

  private async sweepBatches(sql: string, parameters: unknown[]): Promise<OperationResult> {
    const batchSize = parameters[parameters.length - 1] as number;
    let affected = 0;
    for (;;) {
      const deleted = await this.dataSource.transaction(async (manager) => {
        await allowLedgerPurge(manager);
        return affectedRows(await manager.query(sql, parameters));
      });
      affected += deleted;
      if (deleted < batchSize) {
        return { affected };
      }
    }
  }

  private async deleteSubjectRows(manager: EntityManager, tenantId: string, subjectRef: string): Promise<number> {
    await allowLedgerPurge(manager);
    let affected = 0;
    for (const table of ['held_message', 'consent_record', 'purpose_state', 'consent_subject']) {
      affected += affectedRows(
        await manager.query(`DELETE FROM ${this.table(table)} WHERE "tenant_id" = $1 AND "subject_ref" = $2`, [
          tenantId,
          subjectRef,
        ]),
      );
    }
    return affected;
  }

  private table(name: string): string {
    return tablePath(this.dataSource, name);
  }
}

/** Opens, for this transaction only, the ledger trigger's door for erasure and retention deletes. */
async function allowLedgerPurge(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT set_config('trustline.consent_ledger_purge', 'on', true)`);
}
