import { runMigrationsOnly } from '@trustline/service-kit';
import { retentionService } from './service';

// Applies the retention schema's migrations and exits (the Helm pre-install/pre-upgrade Job).
void runMigrationsOnly(retentionService, process.env);
