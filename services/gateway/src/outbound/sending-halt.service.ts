import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Contracts } from '@trustline/contracts';
import { EventPublisher, type StageFn } from '@trustline/messaging';
import { ServiceMetrics } from '@trustline/observability';
import { tablePath } from '@trustline/persistence';
import type { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { TenantSendingHaltEntity } from './tenant-sending-halt.entity';

/**
 * Meta error 368 (the WhatsApp Business Account is restricted for a policy violation) stops ALL of the tenant's
 * sending here until an operator resumes it: sending on would only deepen the enforcement. Raising it is an alert
 * (error log, metric, `gateway.sending.halted.v1`).
 */
@Injectable()
export class SendingHaltService {
  private readonly logger = new Logger(SendingHaltService.name);
  private readonly halts: Counter<'tenant'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    metrics: ServiceMetrics,
  ) {
    this.halts = metrics.counter({
      name: 'trustline_gateway_sending_halts_total',
      help: 'Tenants whose sending was halted after Meta error 368 (alert on any increase)',
      labelNames: ['tenant'],
    });
  }

  async isHalted(tenantId: string): Promise<boolean> {
    return (await this.dataSource.getRepository(TenantSendingHaltEntity).countBy({ tenantId })) > 0;
  }

  /** Inside the caller's transaction; only the first report of a halt is published. */
  async halt(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    halt: { tenantId: string; errorCode: number; phoneNumberId?: string | undefined },
  ): Promise<void> {
    const haltedAt = new Date();
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${tablePath(manager.connection, 'tenant_sending_halt')} ("tenant_id", "error_code", "halted_at")
       VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING "tenant_id"`,
      [halt.tenantId, halt.errorCode, haltedAt],
    );
    if (inserted.length === 0) {
      return;
    }
    await stage(
      'gateway.sending.halted.v1',
      this.publisher.envelope(
        {
          errorCode: halt.errorCode,
          haltedAt: haltedAt.toISOString(),
          ...(halt.phoneNumberId === undefined ? {} : { phoneNumberId: halt.phoneNumberId }),
        },
        { tenantId: halt.tenantId },
      ),
    );
    this.halts.inc({ tenant: halt.tenantId });
    this.logger.error(
      { tenantId: halt.tenantId, errorCode: halt.errorCode, phoneNumberId: halt.phoneNumberId },
      'ALERT: Meta restricted this tenant’s WhatsApp account; all its sending is halted until resumed',
    );
  }

  /** The operator resumes sending once Meta lifted the restriction. */
  async resume(tenantId: string): Promise<void> {
    await this.dataSource.getRepository(TenantSendingHaltEntity).delete({ tenantId });
  }
}
