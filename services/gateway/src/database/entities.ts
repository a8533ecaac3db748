import { cryptoEntities } from '@trustline/crypto';
import { InboxEventEntity, OutboxEventEntity } from '@trustline/messaging';
import { ContactEntity } from '../contacts/contact.entity';
import { ServiceWindowEntity } from '../contacts/service-window.entity';
import { InboundMessageEntity } from '../intake/inbound-message.entity';
import { PreferenceReceiptEntity } from '../intake/preference-receipt.entity';
import { StatusReceiptEntity } from '../intake/status-receipt.entity';
import { OutboundMessageEntity } from '../outbound/outbound-message.entity';
import { TenantSendingHaltEntity } from '../outbound/tenant-sending-halt.entity';
import { UnroutedWebhookEntity } from '../webhook/unrouted-webhook.entity';

/** Every entity of the gateway schema (listed explicitly: no globs). */
export const gatewayEntities = [
  OutboxEventEntity,
  InboxEventEntity,
  ...cryptoEntities,
  ContactEntity,
  ServiceWindowEntity,
  InboundMessageEntity,
  StatusReceiptEntity,
  PreferenceReceiptEntity,
  UnroutedWebhookEntity,
  OutboundMessageEntity,
  TenantSendingHaltEntity,
];
