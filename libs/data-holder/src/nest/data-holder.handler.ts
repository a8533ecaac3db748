import { Inject, Injectable } from '@nestjs/common';
import type {
  DataExportRequestV1,
  DataExportResponseV1,
  DataHolderService,
  DataOperation,
  DsarErasureRequestedV1,
  DsarRectificationRequestedV1,
  EventEnvelope,
  RetentionSweepRequestedV1,
} from '@trustline/contracts';
import { TransitCipher } from '@trustline/crypto';
import { EventPublisher, OnEvent, type DeliveryContext } from '@trustline/messaging';
import type { DataHolder } from '../data-holder';
import { DATA_HOLDER, DATA_HOLDER_SERVICE } from './data-holder.constants';

const DEFAULT_SWEEP_BATCH = 1_000;

/** Transit place of the corrected values a rectification carries (DsarRectificationRequestedV1.fields). */
const RECTIFICATION_FIELDS = 'dsar.rectification.requested.v1/fields';

/**
 * The data-holder protocol on the bus: erase, rectify and sweep commands answered with a
 * `<service>.receipt.issued.v1`, export answered over request/reply with each section sealed (transit place: tenant,
 * subject, `<service>.rpc.export.v1/records`, row = category). The export subject names the service, so
 * onExportRequested is not marked here: DataHolderModule.forHolder derives one subclass per service that marks it.
 */
@Injectable()
export class DataHolderHandler {
  constructor(
    @Inject(DATA_HOLDER) private readonly holder: DataHolder,
    @Inject(DATA_HOLDER_SERVICE) private readonly service: DataHolderService,
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
      await this.transit.openText(data.fields, { tenantId, subjectRef: data.subjectRef, field: RECTIFICATION_FIELDS }),
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
            field: `${this.service}.rpc.export.v1/records`,
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
      `${this.service}.receipt.issued.v1`,
      { requestId, operation, affected, ...about },
      { tenantId },
    );
  }
}
