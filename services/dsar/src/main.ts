import './instrument';

import { runService } from '@trustline/service-kit';
import { dsarService } from './service';

// Distributed mode: this service as its own process (node dist/services/dsar/src/main.js).
void runService(dsarService, process.env);
