import { ConsentCheckRequestV1, ConsentCheckResponseV1 } from './consent/check.v1';
import { ConsentDecisionRecordedV1 } from './consent/decision-recorded.v1';
import { ConsentHistoryRequestV1, ConsentHistoryResponseV1 } from './consent/history.v1';
import { ConsentMessageAdmittedV1 } from './consent/message-admitted.v1';
import { ConsentRecordRequestV1, ConsentRecordResponseV1 } from './consent/record.v1';
import { ConsentSendPermissionRequestV1, ConsentSendPermissionResponseV1 } from './consent/send-permission.v1';
import {
  command,
  fact,
  rpc,
  type ContractDefinition,
  type EventSubjectOf,
  type PayloadOf,
  type ResponseOf,
  type RpcSubjectOf,
  type SubjectOf,
} from './contract';
import { DATA_HOLDER_SERVICES, type DataHolderService } from './data-holder/data-holder-services';
import { DataReceiptIssuedV1 } from './data-holder/data-receipt-issued.v1';
import { DataExportRequestV1, DataExportResponseV1 } from './data-holder/export-requested.v1';
import { DsarErasureRequestedV1 } from './dsar/erasure-requested.v1';
import { DsarRectificationRequestedV1 } from './dsar/rectification-requested.v1';
import { GatewayDeliveryUpdatedV1 } from './gateway/delivery-updated.v1';
import { GatewayMessageReceivedV1 } from './gateway/message-received.v1';
import { GatewayOutboundAcceptedV1 } from './gateway/outbound-accepted.v1';
import { GatewayOutboundFailedV1 } from './gateway/outbound-failed.v1';
import { GatewayOutboundRequestedV1 } from './gateway/outbound-requested.v1';
import { GatewayPreferenceChangedV1 } from './gateway/preference-changed.v1';
import { GatewaySendingHaltedV1 } from './gateway/sending-halted.v1';
import { GatewayWebhookReceivedV1 } from './gateway/webhook-received.v1';
import { RetentionSweepRequestedV1 } from './retention/sweep-requested.v1';

// A subject string is wire API: it never changes meaning. A breaking change to a payload is a new class
// `*.v2.ts` under a new subject `….v2`, dual-published until every consumer has moved.

type HolderContracts = {
  [H in DataHolderService as `${H}.receipt.issued.v1`]: ContractDefinition<DataReceiptIssuedV1> & { kind: 'fact' };
} & {
  [H in DataHolderService as `${H}.rpc.export.v1`]: ContractDefinition<DataExportRequestV1, DataExportResponseV1> & {
    kind: 'rpc';
  };
};

function holderContracts(): HolderContracts {
  const entries = DATA_HOLDER_SERVICES.flatMap((holder) => [
    [
      `${holder}.receipt.issued.v1`,
      fact(holder, DataReceiptIssuedV1, `${holder} answers an erase, rectify or sweep command with what it did`),
    ],
    [
      `${holder}.rpc.export.v1`,
      rpc(holder, ['dsar'], DataExportRequestV1, DataExportResponseV1, `everything ${holder} holds on a subject`),
    ],
  ]);
  return Object.fromEntries(entries) as HolderContracts;
}

/** The platform's one registry: subject → payload class, kind and owning service. */
export const contracts = {
  'gateway.webhook.received.v1': fact(
    'gateway',
    GatewayWebhookReceivedV1,
    'a signed Cloud API webhook for one business number, durably accepted before the 200',
  ),
  'gateway.message.received.v1': fact(
    'gateway',
    GatewayMessageReceivedV1,
    'a WhatsApp user sent a message (once per wamid)',
  ),
  'gateway.delivery.updated.v1': fact(
    'gateway',
    GatewayDeliveryUpdatedV1,
    'Meta reported sent, delivered, read, played or failed for an outbound message',
  ),
  'gateway.preference.changed.v1': fact(
    'gateway',
    GatewayPreferenceChangedV1,
    'a user stopped or resumed a message category on WhatsApp (user_preferences, or send error 131050)',
  ),
  'gateway.outbound.requested.v1': command(
    'gateway',
    ['gateway', 'consent', 'conversation-ai', 'dsar'],
    GatewayOutboundRequestedV1,
    'send a WhatsApp message to a contact, through every send-time check',
  ),
  'gateway.outbound.accepted.v1': fact(
    'gateway',
    GatewayOutboundAcceptedV1,
    'the Cloud API accepted an outbound message',
  ),
  'gateway.outbound.failed.v1': fact(
    'gateway',
    GatewayOutboundFailedV1,
    'an outbound message was refused and will not be sent',
  ),
  'gateway.sending.halted.v1': fact(
    'gateway',
    GatewaySendingHaltedV1,
    'Meta restricted the tenant (error 368): all its sending stopped until an operator resumes it',
  ),
  'consent.rpc.send-permission.v1': rpc(
    'consent',
    ['gateway'],
    ConsentSendPermissionRequestV1,
    ConsentSendPermissionResponseV1,
    'may this contact receive a message for this purpose, now',
  ),
  'consent.rpc.check.v1': rpc(
    'consent',
    ['gateway', 'conversation-ai', 'dsar', 'retention'],
    ConsentCheckRequestV1,
    ConsentCheckResponseV1,
    'may this subject’s data be processed for this purpose, from the ledger’s current state',
  ),
  'consent.rpc.history.v1': rpc(
    'consent',
    ['gateway', 'dsar', 'audit'],
    ConsentHistoryRequestV1,
    ConsentHistoryResponseV1,
    'a subject’s consent ledger, oldest first, paged',
  ),
  'consent.rpc.record.v1': rpc(
    'consent',
    ['gateway', 'dsar'],
    ConsentRecordRequestV1,
    ConsentRecordResponseV1,
    'record a grant, decline or withdrawal taken outside WhatsApp (idempotent by requestId)',
  ),
  'consent.decision.recorded.v1': fact(
    'consent',
    ConsentDecisionRecordedV1,
    'a record was appended to the consent ledger (no personal data: ids, purposes, notice version, regime)',
  ),
  'consent.message.admitted.v1': fact(
    'consent',
    ConsentMessageAdmittedV1,
    'a consenting contact’s message may be processed (including messages held until the opt-in decision)',
  ),
  'dsar.erasure.requested.v1': command(
    'dsar',
    ['dsar'],
    DsarErasureRequestedV1,
    'erase a data subject everywhere: shred keys, then purge rows',
  ),
  'dsar.rectification.requested.v1': command(
    'dsar',
    ['dsar'],
    DsarRectificationRequestedV1,
    'correct a data subject’s fields everywhere they are held',
  ),
  'retention.sweep.requested.v1': command(
    'retention',
    ['retention'],
    RetentionSweepRequestedV1,
    'purge one data category older than a cutoff',
  ),
  ...holderContracts(),
} as const;

export type Contracts = typeof contracts;
export type Subject = SubjectOf<Contracts>;
export type EventSubject = EventSubjectOf<Contracts>;
export type RpcSubject = RpcSubjectOf<Contracts>;
export type Payload<S extends Subject> = PayloadOf<Contracts, S>;
export type Response<S extends RpcSubject> = ResponseOf<Contracts, S>;
