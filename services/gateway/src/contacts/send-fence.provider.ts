import type { Provider } from '@nestjs/common';
import { ServiceMetrics } from '@trustline/observability';
import type { PostgresDataSourceOptions } from '@trustline/persistence';
import { SERVICE_CONFIG } from '@trustline/service-kit';
import type { ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../tenants/tenant-directory';
import { InProcessSendFence } from './in-process-send-fence';
import { PostgresSendFence } from './postgres-send-fence';
import { SendFence, type SendFenceLimits } from './send-fence';

/**
 * The send fence for the database the gateway runs on: advisory locks on PostgreSQL, an in-process lock on the
 * embedded PGlite (whose DataSource has no URL: persistence runs it on an in-process driver).
 */
export const sendFenceProvider: Provider = {
  provide: SendFence,
  inject: [DataSource, SERVICE_CONFIG, ServiceMetrics],
  useFactory: (dataSource: DataSource, config: GatewayConfig, metrics: ServiceMetrics): SendFence => {
    const limits: SendFenceLimits = {
      sendWaitMs: 5_000,
      // A send holds its fence for its consent question (2 s at most), its claim and its Cloud API call (the send
      // timeout at most): a hold change waiting longer than that plus a margin is stuck, and is retried instead.
      holdWaitMs: config.WHATSAPP_SEND_TIMEOUT_MS + 10_000,
    };
    const options = dataSource.options as PostgresDataSourceOptions;
    if (options.url === undefined) {
      return new InProcessSendFence(metrics, limits);
    }
    const poolSize = options.poolSize ?? 10;
    return new PostgresSendFence(
      {
        connection: {
          connectionString: options.url,
          // The pool's own TLS settings (persistence builds them as ca/rejectUnauthorized/minVersion only).
          ssl: (options.ssl ?? false) as ClientConfig['ssl'],
          application_name: `${options.applicationName ?? 'trustline-gateway'}-send-fence`,
          keepAlive: true,
          connectionTimeoutMillis: 10_000,
          // Its statements answer at once (try-locks); one that does not is a broken connection.
          statement_timeout: 10_000,
        },
        // Half the pool at most may wait in hold changes: the rest stays for the sends those changes wait for.
        concurrentHoldChanges: Math.floor(poolSize / 2),
      },
      metrics,
      limits,
    );
  },
};
