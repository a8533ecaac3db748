import { Injectable } from '@nestjs/common';
import type {
  ConsentSendPermissionRequestV1,
  ConsentSendPermissionResponseV1,
  EventEnvelope,
} from '@trustline/contracts';
import { OnRequest } from '@trustline/messaging';
import { NoticeCatalog } from '../notices/notice-catalog';
import { consentPurposeOf } from './consent-purpose.rules';
import { ConsentStateReader } from './consent-state.reader';
import { decideSendPermission } from './send-permission.rules';

/** The gateway's send-time question, answered from the ledger's current state (default-deny). */
@Injectable()
export class SendPermissionHandler {
  constructor(
    private readonly reader: ConsentStateReader,
    private readonly catalog: NoticeCatalog,
  ) {}

  @OnRequest('consent.rpc.send-permission.v1')
  async onSendPermission(
    envelope: EventEnvelope<ConsentSendPermissionRequestV1>,
  ): Promise<ConsentSendPermissionResponseV1> {
    const { tenantId, data } = envelope;
    const needed = consentPurposeOf(data.purpose);
    const standing = await this.reader.standing(
      tenantId,
      data.contactRef,
      needed === 'consent-flow' ? undefined : needed,
      this.catalog.forTenant(tenantId),
    );
    const permission = decideSendPermission(standing, data.purpose, data.outboundId);
    return {
      decision: permission.decision,
      ...(permission.reason ? { reason: permission.reason } : {}),
      ...(permission.basis ? { basis: permission.basis } : {}),
    };
  }
}
