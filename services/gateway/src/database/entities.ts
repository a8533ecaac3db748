import { InboxEventEntity, OutboxEventEntity } from '@trustline/messaging';

/** Every entity of the gateway schema (listed explicitly: no globs). */
export const gatewayEntities = [OutboxEventEntity, InboxEventEntity];
