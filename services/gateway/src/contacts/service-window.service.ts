import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ServiceWindowEntity } from './service-window.entity';

/** When each contact last wrote to each business number: what the 24-hour window is computed from. */
@Injectable()
export class ServiceWindowService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inside the intake's transaction; a late, older message never moves the window back. */
  async recordInbound(
    manager: EntityManager,
    window: { tenantId: string; phoneNumberId: string; contactRef: string; at: Date },
  ): Promise<void> {
    const metadata = manager.connection.getMetadata(ServiceWindowEntity);
    const table = `"${metadata.schema ?? 'public'}"."${metadata.tableName}"`;
    await manager.query(
      `INSERT INTO ${table} ("phone_number_id", "contact_ref", "tenant_id", "last_inbound_at") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("phone_number_id", "contact_ref")
       DO UPDATE SET "last_inbound_at" = GREATEST(${table}."last_inbound_at", EXCLUDED."last_inbound_at")`,
      [window.phoneNumberId, window.contactRef, window.tenantId, window.at],
    );
  }

  /** The contact's latest inbound message to this number, or to any of the given numbers when none is named. */
  async lastInbound(
    contactRef: string,
    phoneNumberIds: readonly string[],
  ): Promise<{ phoneNumberId: string; at: Date } | undefined> {
    if (phoneNumberIds.length === 0) {
      return undefined;
    }
    const rows = await this.dataSource
      .getRepository(ServiceWindowEntity)
      .createQueryBuilder('window')
      .where('window.contactRef = :contactRef', { contactRef })
      .andWhere('window.phoneNumberId IN (:...phoneNumberIds)', { phoneNumberIds })
      .orderBy('window.lastInboundAt', 'DESC')
      .limit(1)
      .getMany();
    const row = rows[0];
    return row ? { phoneNumberId: row.phoneNumberId, at: row.lastInboundAt } : undefined;
  }
}
