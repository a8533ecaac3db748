import { port } from 'envalid';

/** conversation-ai's own variables. Database, NATS, logging and HTTP host variables come from the shared libraries. */
export const conversationAiEnv = {
  CONVERSATION_AI_PORT: port({ default: 3002, desc: 'HTTP port of the conversation-ai service' }),
};
