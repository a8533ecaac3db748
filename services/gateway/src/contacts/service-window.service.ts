import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { tablePath } from '@trustline/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { ServiceWindowEntity } from './service-window.entity';

/** When each contact last wrote to each business number: what the 24-hour window is computed from. */
@Injectable()
export class ServiceWindowService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inside the intake's transaction, one statement for many; a late, older message never moves a window back. */
  async recordInbound(
    manager: EntityManager,
    windows: readonly { tenantId: string; phoneNumberId: string; contactRef: string; at: Date }[],
  ): Promise<void> {
    if (windows.length === 0) {
      return;
    }
    const table = tablePath(manager.connection, 'service_window');
    // Callers pass one row per (number, contact): ON CONFLICT DO UPDATE may not touch a row twice in one statement.
    const values = windows.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`);
    await manager.query(
      `INSERT INTO ${table} ("phone_number_id", "contact_ref", "tenant_id", "last_inbound_at") VALUES ${values.join(', ')}
       ON CONFLICT ("phone_number_id", "contact_ref")
       DO UPDATE SET "last_inbound_at" = GREATEST(${table}."last_inbound_at", EXCLUDED."last_inbound_at")`,
      windows.flatMap((window) => [window.phoneNumberId, window.contactRef, window.tenantId, window.at]),
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
