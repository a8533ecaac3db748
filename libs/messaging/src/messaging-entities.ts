import { InboxEventEntity } from './inbox/inbox-event.entity';
import { OutboxEventEntity } from './outbox/outbox-event.entity';

/** The messaging tables' entities, for a service's DataSource `entities` list. */
export const messagingEntities = [OutboxEventEntity, InboxEventEntity] as const;
