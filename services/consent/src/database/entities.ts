import { InboxEventEntity, OutboxEventEntity } from '@trustline/messaging';

/** Every entity of the consent schema (listed explicitly: no globs). */
export const consentEntities = [OutboxEventEntity, InboxEventEntity];
