import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BlindIndex, FieldCipher } from '@trustline/crypto';
import { tablePath } from '@trustline/persistence';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { holdChangeApplies, type ContactHolds, type DatedHoldChange } from './contact-hold.rules';
import type { ContactIdentity, ContactRecipient } from './contact-identity';
import { ContactEntity } from './contact.entity';

type SealedColumn = 'waId' | 'userId' | 'profileName';

/**
 * The gateway's contacts: an opaque, stable `contactRef` per WhatsApp user and tenant, found by blind indexes of
 * the wa_id and the BSUID, so that neither the phone number alone nor any clear identifier keys a person.
 * Encryption happens outside callers' transactions: key creation takes its own (and the embedded database has one
 * session, so a key lookup inside another transaction would wait for it).
 */
@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly index: BlindIndex,
  ) {}

  /** The contact these identifiers name, created on first sight; identifiers learnt later are attached. */
  async findOrCreate(tenantId: string, identity: ContactIdentity): Promise<string> {
    const waIdIndex = identity.waId ? await this.index.compute(tenantId, 'wa-id', identity.waId) : null;
    const userIdIndex = identity.userId ? await this.index.compute(tenantId, 'bsuid', identity.userId) : null;
    if (waIdIndex === null && userIdIndex === null) {
      throw new Error('a contact needs a wa_id or a user id');
    }
    const existing = await this.find(tenantId, userIdIndex, waIdIndex);
    if (existing) {
      await this.attachMissing(existing, identity, waIdIndex, userIdIndex);
      return existing.contactRef;
    }
    const contactRef = randomBytes(16).toString('base64url');
    const row = {
      contactRef,
      tenantId,
      waIdIndex,
      userIdIndex,
      waId: await this.sealOptional(tenantId, contactRef, 'waId', identity.waId),
      userId: await this.sealOptional(tenantId, contactRef, 'userId', identity.userId),
      profileName: await this.sealOptional(tenantId, contactRef, 'profileName', identity.name),
    };
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO ${tablePath(this.dataSource, 'contact')} ("contact_ref", "tenant_id", "wa_id_index", "user_id_index", "wa_id", "user_id", "profile_name")
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING "contact_ref"`,
      [row.contactRef, tenantId, waIdIndex, userIdIndex, row.waId, row.userId, row.profileName],
    );
    if (inserted.length > 0) {
      return contactRef;
    }
    // Another worker created the same person a moment ago: use theirs.
    const winner = await this.find(tenantId, userIdIndex, waIdIndex);
    if (!winner) {
      throw new Error('contact insert conflicted but no contact was found');
    }
    return winner.contactRef;
  }

  /** The user changed number (system message): the contact keeps its reference, now reached at the new wa_id. */
  async changeWaId(tenantId: string, contactRef: string, newWaId: string): Promise<void> {
    const waIdIndex = await this.index.compute(tenantId, 'wa-id', newWaId);
    const waId = await this.sealOptional(tenantId, contactRef, 'waId', newWaId);
    await this.dataSource.getRepository(ContactEntity).update({ tenantId, contactRef }, { waIdIndex, waId });
  }

  /** The user's business-scoped id changed (system message user_changed_user_id). */
  async changeUserId(tenantId: string, contactRef: string, newUserId: string): Promise<void> {
    const userIdIndex = await this.index.compute(tenantId, 'bsuid', newUserId);
    const userId = await this.sealOptional(tenantId, contactRef, 'userId', newUserId);
    await this.dataSource.getRepository(ContactEntity).update({ tenantId, contactRef }, { userIdIndex, userId });
  }

  /** Where to send: the identifiers opened, or undefined for an unknown (or erased) contact. */
  async recipient(tenantId: string, contactRef: string): Promise<ContactRecipient | undefined> {
    const row = await this.dataSource.getRepository(ContactEntity).findOneBy({ tenantId, contactRef });
    if (!row) {
      return undefined;
    }
    const waId = row.waId ? await this.open(row, 'waId', row.waId) : undefined;
    const userId = row.userId ? await this.open(row, 'userId', row.userId) : undefined;
    return {
      contactRef,
      suppressed: row.suppressedAt !== null,
      marketingStopped: row.marketingStopped,
      ...(waId === undefined ? {} : { waId }),
      ...(userId === undefined ? {} : { userId }),
    };
  }

  /** The contact's holds as they stand now (no identifiers opened), or undefined for an unknown contact. */
  async holds(tenantId: string, contactRef: string): Promise<ContactHolds | undefined> {
    const row = await this.dataSource.getRepository(ContactEntity).findOne({
      select: { suppressedAt: true, marketingStopped: true },
      where: { tenantId, contactRef },
    });
    return row ? { suppressed: row.suppressedAt !== null, marketingStopped: row.marketingStopped } : undefined;
  }

  /**
   * Inside the caller's transaction, which holds the contact's send fence: sets or lifts the opt-out hold, unless a
   * newer keyword message changed it already. A hold set now is stamped with clock_timestamp() (not the transaction's
   * start): every send the fence waited for had returned by then. Resolves whether the change applied.
   */
  async changeHold(
    manager: EntityManager,
    { tenantId, contactRef, change, sentAt }: DatedHoldChange,
  ): Promise<boolean> {
    const table = tablePath(manager.connection, 'contact');
    const rows: { suppression_changed_at: Date | null }[] = await manager.query(
      `SELECT "suppression_changed_at" FROM ${table} WHERE "tenant_id" = $1 AND "contact_ref" = $2 FOR UPDATE`,
      [tenantId, contactRef],
    );
    const row = rows[0];
    if (row === undefined || !holdChangeApplies(change, sentAt, row.suppression_changed_at)) {
      return false;
    }
    await manager.query(
      `UPDATE ${table}
          SET "suppressed_at" = CASE WHEN $3 THEN COALESCE("suppressed_at", clock_timestamp()) END,
              "suppression_changed_at" = $4, "updated_at" = now()
        WHERE "tenant_id" = $1 AND "contact_ref" = $2`,
      [tenantId, contactRef, change === 'hold', sentAt],
    );
    return true;
  }

  /** Inside the caller's transaction: record a marketing stop/resume (no encryption involved). */
  async setMarketingStopped(
    manager: EntityManager,
    tenantId: string,
    contactRef: string,
    stopped: boolean,
  ): Promise<void> {
    await manager.getRepository(ContactEntity).update({ tenantId, contactRef }, { marketingStopped: stopped });
  }

  private async find(
    tenantId: string,
    userIdIndex: string | null,
    waIdIndex: string | null,
  ): Promise<ContactEntity | null> {
    const repository = this.dataSource.getRepository(ContactEntity);
    // The BSUID is the more specific key (a number can be recycled to another person); the wa_id is the fallback.
    if (userIdIndex !== null) {
      const byUser = await repository.findOneBy({ tenantId, userIdIndex });
      if (byUser) {
        return byUser;
      }
    }
    return waIdIndex === null ? null : repository.findOneBy({ tenantId, waIdIndex });
  }

  private async attachMissing(
    contact: ContactEntity,
    identity: ContactIdentity,
    waIdIndex: string | null,
    userIdIndex: string | null,
  ): Promise<void> {
    const changes: Partial<ContactEntity> = {};
    const { tenantId, contactRef } = contact;
    if (contact.waIdIndex === null && waIdIndex !== null) {
      changes.waIdIndex = waIdIndex;
      changes.waId = await this.sealOptional(tenantId, contactRef, 'waId', identity.waId);
    }
    if (contact.userIdIndex === null && userIdIndex !== null) {
      changes.userIdIndex = userIdIndex;
      changes.userId = await this.sealOptional(tenantId, contactRef, 'userId', identity.userId);
    }
    if (identity.name !== undefined) {
      const current = contact.profileName ? await this.open(contact, 'profileName', contact.profileName) : undefined;
      if (current !== identity.name) {
        changes.profileName = await this.sealOptional(tenantId, contactRef, 'profileName', identity.name);
      }
    }
    if (Object.keys(changes).length > 0) {
      // Unique indexes may refuse an index another contact already holds; the contact stays as it was then.
      await this.dataSource
        .getRepository(ContactEntity)
        .update({ tenantId, contactRef }, changes)
        .catch((error: unknown) => {
          if (!isUniqueViolation(error)) {
            throw error;
          }
        });
    }
  }

  private async sealOptional(
    tenantId: string,
    contactRef: string,
    column: SealedColumn,
    value: string | undefined,
  ): Promise<string | null> {
    if (value === undefined) {
      return null;
    }
    return this.cipher.sealText(value, { tenantId, subjectRef: contactRef, field: `contact.${column}` });
  }

  private open(contact: ContactEntity, column: SealedColumn, sealed: string): Promise<string> {
    return this.cipher.openText(sealed, {
      tenantId: contact.tenantId,
      subjectRef: contact.contactRef,
      field: `contact.${column}`,
    });
  }
}

/** PostgreSQL unique_violation (SQLSTATE 23505), as the pg driver reports it through TypeORM. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } } | undefined)?.driverError?.code;
  return code === '23505' || (error as { code?: unknown } | undefined)?.code === '23505';
}
