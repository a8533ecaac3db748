import { cryptoEnv } from '@trustline/crypto';
import { natsEnv } from '@trustline/messaging';
import { observabilityEnv } from '@trustline/observability';
import { databaseEnv } from '@trustline/persistence';
import { bool, host, str } from 'envalid';

/** Variables every service reads, from each library's own fragment plus the HTTP and boot settings. */
export const platformEnv = {
  ...databaseEnv,
  ...natsEnv,
  ...observabilityEnv,
  ...cryptoEnv,
  HTTP_HOST: host({ default: '127.0.0.1', desc: 'interface the HTTP servers bind (0.0.0.0 in containers)' }),
  MIGRATE_ON_BOOT: bool({
    default: true,
    desc: 'apply the schema migrations at start; set false where a migration Job runs them (Helm)',
  }),
  NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'development' }),
};
