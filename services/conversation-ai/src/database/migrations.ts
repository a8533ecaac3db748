import { InitConversationAi1764061200002 } from './migrations/1764061200002-InitConversationAi';

/** Every migration of the conversation-ai schema, oldest first (listed explicitly: no globs). */
export const conversationAiMigrations = [InitConversationAi1764061200002];
