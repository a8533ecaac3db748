import { InboxEventEntity, OutboxEventEntity } from '@trustline/messaging';

/** Every entity of the audit schema (listed explicitly: no globs). */
export const auditEntities = [OutboxEventEntity, InboxEventEntity];
