import type { Contracts } from '@trustline/contracts';
import type { KeyProvider } from '@trustline/crypto';
import type { MessageBus } from '@trustline/messaging';
import type { Database } from '@trustline/persistence';

/**
 * The adapters a service runs on. Distributed mode gives each service its own (PostgreSQL pool, NATS
 * connection); standalone mode hands the same embedded database and in-process bus to all six. Whoever created
 * them closes them, after the services that use them.
 */
export interface ServiceRuntime {
  readonly database: Database;
  readonly bus: MessageBus<Contracts>;
  /** Root keys (one provider per process, shared by its services). */
  readonly keyProvider: KeyProvider;
}
