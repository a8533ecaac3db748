import { runMigrationsOnly } from '@trustline/service-kit';
import { dsarService } from './service';

// Applies the dsar schema's migrations and exits (the Helm pre-install/pre-upgrade Job).
void runMigrationsOnly(dsarService, process.env);
