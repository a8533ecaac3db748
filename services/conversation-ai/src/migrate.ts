import { runMigrationsOnly } from '@trustline/service-kit';
import { conversationAiService } from './service';

// Applies the conversation-ai schema's migrations and exits (the Helm pre-install/pre-upgrade Job).
void runMigrationsOnly(conversationAiService, process.env);
