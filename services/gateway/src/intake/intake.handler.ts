import { Injectable } from '@nestjs/common';
import type { EventEnvelope, GatewayWebhookReceivedV1 } from '@trustline/contracts';
import { OnEvent, type DeliveryContext } from '@trustline/messaging';
import { IntakeService } from './intake.service';

/** The gateway's own consumer of what its webhook edge accepted. */
@Injectable()
export class IntakeHandler {
  constructor(private readonly intake: IntakeService) {}

  @OnEvent('gateway.webhook.received.v1', { maxDeliver: 10, backoffMs: [200, 1_000, 5_000, 30_000] })
  onWebhookReceived(envelope: EventEnvelope<GatewayWebhookReceivedV1>, _delivery: DeliveryContext): Promise<void> {
    return this.intake.process(envelope);
  }
}
