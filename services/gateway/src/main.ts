import './instrument';

import { runService } from '@trustline/service-kit';
import { gatewayService } from './service';

// Distributed mode: this service as its own process (node dist/services/gateway/src/main.js).
void runService(gatewayService, process.env);
