import { InboxEventEntity, OutboxEventEntity } from '@trustline/messaging';

/** Every entity of the dsar schema (listed explicitly: no globs). */
export const dsarEntities = [OutboxEventEntity, InboxEventEntity];
