import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConsentDecisionRecordedV1, EventEnvelope } from '@trustline/contracts';
import { OnEvent, type DeliveryContext } from '@trustline/messaging';
import { DataSource } from 'typeorm';
import { ContactsService } from '../contacts/contacts.service';
import { SendFence } from '../contacts/send-fence';
import { holdChangeForDecision } from './consent-hold.rules';

/**
 * Keeps the gateway's opt-out hold consistent with consent's ledger. Keyword opt-outs and opt-ins are applied at
 * intake already (before consent sees them); this applies the rest — withdrawals and grants recorded through the
 * API, tombstoned contacts — under the same send fence, so sends in flight finish first. A record older than the
 * hold's last change changes nothing, which also makes redeliveries harmless.
 */
@Injectable()
export class ConsentHoldHandler {
  constructor(
    private readonly contacts: ContactsService,
    private readonly fence: SendFence,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @OnEvent('consent.decision.recorded.v1', { maxDeliver: 20, backoffMs: [200, 1_000, 5_000, 30_000] })
  async onDecisionRecorded(
    envelope: EventEnvelope<ConsentDecisionRecordedV1>,
    _delivery: DeliveryContext,
  ): Promise<void> {
    const { tenantId, data } = envelope;
    const decided = holdChangeForDecision(data);
    if (decided === undefined) {
      return;
    }
    const contact = { tenantId, contactRef: data.subjectRef };
    await this.fence.changingHolds([contact], (lockInTransaction) =>
      this.dataSource.transaction(async (manager) => {
        await lockInTransaction(manager);
        await this.contacts.changeHold(manager, { ...contact, change: decided.change, sentAt: decided.at });
      }),
    );
  }
}
