import { runMigrationsOnly } from '@trustline/service-kit';
import { consentService } from './service';

// Applies the consent schema's migrations and exits (the Helm pre-install/pre-upgrade Job).
void runMigrationsOnly(consentService, process.env);
