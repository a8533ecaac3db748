import './instrument';

import { runService } from '@trustline/service-kit';
import { consentService } from './service';

// Distributed mode: this service as its own process (node dist/services/consent/src/main.js).
void runService(consentService, process.env);
