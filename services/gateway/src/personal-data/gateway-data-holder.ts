import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FieldCipher, Keyring } from '@trustline/crypto';
import type { DataHolder, DataSubject, ExportSection, OperationResult, SweepRequest } from '@trustline/data-holder';
import { affectedRows, tablePath } from '@trustline/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { ContactEntity } from '../contacts/contact.entity';

/** What the gateway keeps on a person, by retention category. */
export const GATEWAY_DATA_CATEGORIES = ['contacts', 'message-log', 'outbound-log'] as const;

/** The profile fields a rectification may correct here (Meta owns the identifiers; the name is the user's). */
const RECTIFIABLE = { name: 'profileName' } as const;

const SETTLED_OUTBOUND = ['accepted', 'sent', 'delivered', 'read', 'failed'];

/**
 * The gateway as a data holder (DESIGN.md §3): a contact's identifiers and name (sealed), its service windows,
 * the inbound dedupe log and the outbound log. Erasure crypto-shreds the contact's key first — every sealed field
 * of theirs is unreadable from that moment, in every copy and backup — then deletes the rows.
 */
@Injectable()
export class GatewayDataHolder implements DataHolder {
  readonly categories = GATEWAY_DATA_CATEGORIES;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly keyring: Keyring,
  ) {}

  async export({ tenantId, subjectRef }: DataSubject): Promise<ExportSection[]> {
    const sections: ExportSection[] = [];
    const contact = await this.dataSource.getRepository(ContactEntity).findOneBy({ tenantId, contactRef: subjectRef });
    if (contact) {
      const windows: { phone_number_id: string; last_inbound_at: Date }[] = await this.dataSource.query(
        `SELECT "phone_number_id", "last_inbound_at" FROM ${this.table('service_window')}
          WHERE "tenant_id" = $1 AND "contact_ref" = $2 ORDER BY "phone_number_id"`,
        [tenantId, subjectRef],
      );
      sections.push({
        category: 'contacts',
        records: [
          {
            waId: await this.open(contact, 'waId', contact.waId),
            userId: await this.open(contact, 'userId', contact.userId),
            name: await this.open(contact, 'profileName', contact.profileName),
            marketingStopped: contact.marketingStopped,
            // The opt-out hold the gateway keeps from the user's STOP (null: none).
            optedOutAt: contact.suppressedAt?.toISOString() ?? null,
            firstSeenAt: contact.createdAt.toISOString(),
            lastMessageTo: windows.map((w) => ({
              phoneNumberId: w.phone_number_id,
              at: w.last_inbound_at.toISOString(),
            })),
          },
        ],
      });
    }
    const inbound: { wamid: string; phone_number_id: string; sent_at: Date; received_at: Date }[] =
      await this.dataSource.query(
        `SELECT "wamid", "phone_number_id", "sent_at", "received_at" FROM ${this.table('inbound_message')}
          WHERE "tenant_id" = $1 AND "contact_ref" = $2 ORDER BY "received_at", "wamid"`,
        [tenantId, subjectRef],
      );
    if (inbound.length > 0) {
      sections.push({
        category: 'message-log',
        records: inbound.map((row) => ({
          messageId: row.wamid,
          phoneNumberId: row.phone_number_id,
          sentAt: row.sent_at.toISOString(),
          receivedAt: row.received_at.toISOString(),
        })),
      });
    }
    const outbound: {
      outbound_id: string;
      purpose: string;
      kind: string | null;
      state: string;
      wamid: string | null;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT "outbound_id", "purpose", "kind", "state", "wamid", "created_at" FROM ${this.table('outbound_message')}
        WHERE "tenant_id" = $1 AND "contact_ref" = $2 ORDER BY "created_at", "outbound_id"`,
      [tenantId, subjectRef],
    );
    if (outbound.length > 0) {
      sections.push({
        category: 'outbound-log',
        records: outbound.map((row) => ({
          outboundId: row.outbound_id,
          purpose: row.purpose,
          kind: row.kind,
          state: row.state,
          messageId: row.wamid,
          createdAt: row.created_at.toISOString(),
        })),
      });
    }
    return sections;
  }

  async erase({ tenantId, subjectRef }: DataSubject): Promise<OperationResult> {
    // Keys first: from here on nothing sealed for this contact opens, whatever the purge below finds.
    const keys = await this.keyring.shred(tenantId, subjectRef);
    const rows = await this.dataSource.transaction((manager) => this.deleteContactRows(manager, tenantId, subjectRef));
    return { affected: keys + rows };
  }

  async rectify(
    { tenantId, subjectRef }: DataSubject,
    fields: Readonly<Record<string, string>>,
  ): Promise<OperationResult> {
    const repository = this.dataSource.getRepository(ContactEntity);
    const contact = await repository.findOneBy({ tenantId, contactRef: subjectRef });
    if (!contact) {
      return { affected: 0 };
    }
    let affected = 0;
    for (const [field, column] of Object.entries(RECTIFIABLE)) {
      const value = fields[field];
      if (value === undefined || (await this.open(contact, column, contact[column])) === value) {
        continue;
      }
      const sealed = await this.cipher.sealText(value, { tenantId, subjectRef, field: `contact.${column}` });
      await repository.update({ tenantId, contactRef: subjectRef }, { [column]: sealed });
      affected += 1;
    }
    return { affected };
  }

  async sweep({ tenantId, category, cutoff, batchSize }: SweepRequest): Promise<OperationResult> {
    switch (category) {
      case 'message-log':
        return this.sweepRows(
          'inbound_message',
          `"tenant_id" = $1 AND "received_at" < $2`,
          [tenantId, cutoff],
          batchSize,
        );
      case 'outbound-log':
        return this.sweepRows(
          'outbound_message',
          `"tenant_id" = $1 AND "created_at" < $2 AND "state" = ANY($3)`,
          [tenantId, cutoff, SETTLED_OUTBOUND],
          batchSize,
        );
      case 'contacts':
        return this.sweepIdleContacts(tenantId, cutoff, batchSize);
      default:
        return { affected: 0 };
    }
  }

  /** Contacts not heard from since the cutoff: shredded and removed, like an erasure, in batches. */
  private async sweepIdleContacts(tenantId: string, cutoff: Date, batchSize: number): Promise<OperationResult> {
    let affected = 0;
    for (;;) {
      const idle: { contact_ref: string }[] = await this.dataSource.query(
        `SELECT c."contact_ref" FROM ${this.table('contact')} c
          WHERE c."tenant_id" = $1 AND c."updated_at" < $2
            AND NOT EXISTS (SELECT 1 FROM ${this.table('service_window')} w
                             WHERE w."tenant_id" = c."tenant_id" AND w."contact_ref" = c."contact_ref"
                               AND w."last_inbound_at" >= $2)
          ORDER BY c."contact_ref" LIMIT $3`,
        [tenantId, cutoff, batchSize],
      );
      for (const { contact_ref: contactRef } of idle) {
        await this.keyring.shred(tenantId, contactRef);
        await this.dataSource.transaction((manager) => this.deleteContactRows(manager, tenantId, contactRef));
      }
      affected += idle.length;
      if (idle.length < batchSize) {
        return { affected };
      }
    }
  }

  private async sweepRows(
    table: string,
    where: string,
    parameters: unknown[],
    batchSize: number,
  ): Promise<OperationResult> {
    const path = this.table(table);
    let affected = 0;
    for (;;) {
      const deleted = affectedRows(
        await this.dataSource.query(
          `DELETE FROM ${path} WHERE ctid IN (SELECT ctid FROM ${path} WHERE ${where} LIMIT $${parameters.length + 1})`,
          [...parameters, batchSize],
        ),
      );
      affected += deleted;
      if (deleted < batchSize) {
        return { affected };
      }
    }
  }

  private async deleteContactRows(manager: EntityManager, tenantId: string, contactRef: string): Promise<number> {
    let affected = 0;
    const remove = async (sql: string): Promise<void> => {
      affected += affectedRows(await manager.query(sql, [tenantId, contactRef]));
    };
    await remove(
      `DELETE FROM ${this.table('status_receipt')} WHERE "tenant_id" = $1 AND "wamid" IN (
         SELECT "wamid" FROM ${this.table('outbound_message')} WHERE "tenant_id" = $1 AND "contact_ref" = $2 AND "wamid" IS NOT NULL)`,
    );
    await remove(`DELETE FROM ${this.table('outbound_message')} WHERE "tenant_id" = $1 AND "contact_ref" = $2`);
    await remove(`DELETE FROM ${this.table('inbound_message')} WHERE "tenant_id" = $1 AND "contact_ref" = $2`);
    await remove(`DELETE FROM ${this.table('service_window')} WHERE "tenant_id" = $1 AND "contact_ref" = $2`);
    await remove(`DELETE FROM ${this.table('preference_receipt')} WHERE "tenant_id" = $1 AND "contact_ref" = $2`);
    await remove(`DELETE FROM ${this.table('contact')} WHERE "tenant_id" = $1 AND "contact_ref" = $2`);
    return affected;
  }

  private async open(
    contact: ContactEntity,
    column: 'waId' | 'userId' | 'profileName',
    sealed: string | null,
  ): Promise<string | null> {
    if (sealed === null) {
      return null;
    }
    return this.cipher.openText(sealed, {
      tenantId: contact.tenantId,
      subjectRef: contact.contactRef,
      field: `contact.${column}`,
    });
  }

  private table(name: string): string {
    return tablePath(this.dataSource, name);
  }
}
