import { defineService } from '@trustline/service-kit';
import { conversationAiEnv } from './config';
import { conversationAiEntities } from './database/entities';
import { conversationAiMigrations } from './database/migrations';

/** conversation-ai: the AI agent: providers, redaction, content filters and human escalation. */
export const conversationAiService = defineService({
  name: 'conversation-ai',
  env: conversationAiEnv,
  portVariable: 'CONVERSATION_AI_PORT',
  entities: conversationAiEntities,
  migrations: conversationAiMigrations,
  imports: [],
});
