import './instrument';

import { runService } from '@trustline/service-kit';
import { retentionService } from './service';

// Distributed mode: this service as its own process (node dist/services/retention/src/main.js).
void runService(retentionService, process.env);
