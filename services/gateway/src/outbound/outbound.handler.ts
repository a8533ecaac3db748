import { Injectable } from '@nestjs/common';
import type { EventEnvelope, GatewayOutboundRequestedV1 } from '@trustline/contracts';
import { OnEvent, type DeliveryContext } from '@trustline/messaging';
import { MAX_SEND_ATTEMPTS, OutboundService } from './outbound.service';

/** The bus edge of the sender: outbound commands, redelivered after whatever delay the sender asks for. */
@Injectable()
export class OutboundHandler {
  constructor(private readonly outbound: OutboundService) {}

  // One more delivery than the sender's own budget: its last attempt publishes the failure; dead letter is only
  // for a process that died mid-send on every attempt.
  @OnEvent('gateway.outbound.requested.v1', {
    maxDeliver: MAX_SEND_ATTEMPTS + 1,
    concurrency: 32,
    backoffMs: [1_000, 5_000, 30_000],
  })
  onOutboundRequested(envelope: EventEnvelope<GatewayOutboundRequestedV1>, delivery: DeliveryContext): Promise<void> {
    return this.outbound.handle(envelope, delivery);
  }
}
