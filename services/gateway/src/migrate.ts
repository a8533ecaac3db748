import { runMigrationsOnly } from '@trustline/service-kit';
import { gatewayService } from './service';

// Applies the gateway schema's migrations and exits (the Helm pre-install/pre-upgrade Job).
void runMigrationsOnly(gatewayService, process.env);
