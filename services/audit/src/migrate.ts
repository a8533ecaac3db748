import { runMigrationsOnly } from '@trustline/service-kit';
import { auditService } from './service';

// Applies the audit schema's migrations and exits (the Helm pre-install/pre-upgrade Job).
void runMigrationsOnly(auditService, process.env);
