import { Injectable } from '@nestjs/common';
import type { EventEnvelope, GatewayWebhookReceivedV1 } from '@trustline/contracts';
import { MicroBatcher, OnEvent, type DeliveryContext } from '@trustline/messaging';
import { IntakeService } from './intake.service';

/** The gateway's own consumer of what its webhook edge accepted. */
@Injectable()
export class IntakeHandler {
  private readonly batcher: MicroBatcher<EventEnvelope<GatewayWebhookReceivedV1>>;

  constructor(intake: IntakeService) {
    // The webhooks in flight at one moment commit together; each is still acked (or redelivered) on its own.
    this.batcher = new MicroBatcher({
      maxSize: 64,
      maxWaitMs: 5,
      handleBatch: (envelopes) => intake.processBatch(envelopes),
      handleOne: (envelope) => intake.process(envelope),
    });
  }

  @OnEvent('gateway.webhook.received.v1', { maxDeliver: 10, backoffMs: [200, 1_000, 5_000, 30_000], concurrency: 64 })
  onWebhookReceived(envelope: EventEnvelope<GatewayWebhookReceivedV1>, _delivery: DeliveryContext): Promise<void> {
    return this.batcher.add(envelope);
  }
}
