import './instrument';

import { runService } from '@trustline/service-kit';
import { auditService } from './service';

// Distributed mode: this service as its own process (node dist/services/audit/src/main.js).
void runService(auditService, process.env);
