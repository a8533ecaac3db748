import { InboxEventEntity, OutboxEventEntity } from '@trustline/messaging';

/** Every entity of the conversation-ai schema (listed explicitly: no globs). */
export const conversationAiEntities = [OutboxEventEntity, InboxEventEntity];
