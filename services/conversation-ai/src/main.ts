import './instrument';

import { runService } from '@trustline/service-kit';
import { conversationAiService } from './service';

// Distributed mode: this service as its own process (node dist/services/conversation-ai/src/main.js).
void runService(conversationAiService, process.env);
