import { Injectable } from '@nestjs/common';
import type {
  DataExportRequestV1,
  DataExportResponseV1,
  DataOperation,
  DsarErasureRequestedV1,
  DsarRectificationRequestedV1,
  EventEnvelope,
  RetentionSweepRequestedV1,
} from '@trustline/contracts';
import { TransitCipher } from '@trustline/crypto';
import { EventPublisher, OnEvent, OnRequest, type DeliveryContext } from '@trustline/messaging';
import { GatewayDataHolder } from './gateway-data-holder';

const DEFAULT_SWEEP_BATCH = 1_000;

/**
 * The data-holder protocol on the bus: erase, rectify and sweep commands answered with a receipt, export answered
 * over request/reply with each section sealed (transit place: tenant, subject, `gateway.rpc.export.v1/records`,
 * row = category). Rectified values arrive sealed the same way (`dsar.rectification.requested.v1/fields`).
 */
@Injectable()
export class PersonalDataHandler {
  constructor(
    private readonly holder: GatewayDataHolder,
    private readonly transit: TransitCipher,
    private readonly publisher: EventPublisher,
  ) {}

  @OnEvent('dsar.erasure.requested.v1')
  async onErasureRequested(envelope: EventEnvelope<DsarErasureRequestedV1>, _delivery: DeliveryContext): Promise<void> {
    const { tenantId, data } = envelope;
    const result = await this.holder.erase({ tenantId, subjectRef: data.subjectRef });
    await this.receipt(tenantId, data.requestId, 'erase', result.affected, { subjectRef: data.subjectRef });
  }

  @OnEvent('dsar.rectification.requested.v1')
  async onRectificationRequested(
    envelope: EventEnvelope<DsarRectificationRequestedV1>,
    _delivery: DeliveryContext,
  ): Promise<void> {
    const { tenantId, data } = envelope;
    const fields = JSON.parse(
      await this.transit.openText(data.fields, {
        tenantId,
        subjectRef: data.subjectRef,
        field: 'dsar.rectification.requested.v1/fields',
      }),
    ) as Record<string, unknown>;
    const strings = Object.fromEntries(
      Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const result = await this.holder.rectify({ tenantId, subjectRef: data.subjectRef }, strings);
    await this.receipt(tenantId, data.requestId, 'rectify', result.affected, { subjectRef: data.subjectRef });
  }

  @OnEvent('retention.sweep.requested.v1')
  async onSweepRequested(
    envelope: EventEnvelope<RetentionSweepRequestedV1>,
    _delivery: DeliveryContext,
  ): Promise<void> {
    const { tenantId, data } = envelope;
    const result = await this.holder.sweep({
      tenantId,
      category: data.category,
      cutoff: new Date(data.cutoff),
      batchSize: data.batchSize ?? DEFAULT_SWEEP_BATCH,
    });
    await this.receipt(tenantId, data.sweepId, 'sweep', result.affected, { category: data.category });
  }

  @OnRequest('gateway.rpc.export.v1')
  async onExportRequested(envelope: EventEnvelope<DataExportRequestV1>): Promise<DataExportResponseV1> {
    const { tenantId, data } = envelope;
    const sections = await this.holder.export({ tenantId, subjectRef: data.subjectRef });
    return {
      requestId: data.requestId,
      sections: await Promise.all(
        sections.map(async (section) => ({
          category: section.category,
          records: await this.transit.sealText(JSON.stringify(section.records), {
            tenantId,
            subjectRef: data.subjectRef,
            field: 'gateway.rpc.export.v1/records',
            row: section.category,
          }),
        })),
      ),
    };
  }

  // Published after the effect: a lost receipt comes back with the redelivered command (the operation is
  // idempotent, so the repeat reports 0 affected).
  private async receipt(
    tenantId: string,
    requestId: string,
    operation: DataOperation,
    affected: number,
    about: { subjectRef?: string; category?: string },
  ): Promise<void> {
    await this.publisher.publish(
      'gateway.receipt.issued.v1',
      { requestId, operation, affected, ...about },
      { tenantId },
    );
  }
}
