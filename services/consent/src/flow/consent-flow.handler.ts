import { Injectable } from '@nestjs/common';
import type { EventEnvelope, GatewayMessageReceivedV1, GatewayPreferenceChangedV1 } from '@trustline/contracts';
import { OnEvent, type DeliveryContext } from '@trustline/messaging';
import { ConsentFlowService } from './consent-flow.service';

/** Every inbound message passes consent first: nothing reaches the conversation without it. */
@Injectable()
export class ConsentFlowHandler {
  constructor(private readonly flow: ConsentFlowService) {}

  // Messages of one contact are serialised by a row lock on the contact; different contacts run in parallel.
  @OnEvent('gateway.message.received.v1', { maxDeliver: 20, backoffMs: [100, 1_000, 5_000, 30_000], concurrency: 32 })
  onMessageReceived(envelope: EventEnvelope<GatewayMessageReceivedV1>, _delivery: DeliveryContext): Promise<void> {
    return this.flow.onMessage(envelope);
  }

  @OnEvent('gateway.preference.changed.v1', { maxDeliver: 20, backoffMs: [100, 1_000, 5_000, 30_000] })
  onPreferenceChanged(envelope: EventEnvelope<GatewayPreferenceChangedV1>, _delivery: DeliveryContext): Promise<void> {
    return this.flow.onPreferenceChanged(envelope);
  }
}
