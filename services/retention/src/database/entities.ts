import { InboxEventEntity, OutboxEventEntity } from '@trustline/messaging';

/** Every entity of the retention schema (listed explicitly: no globs). */
export const retentionEntities = [OutboxEventEntity, InboxEventEntity];
