import { contracts } from '@trustline/contracts';
import { localKeyProviderFromEnv } from '@trustline/crypto';
import { createBusFromEnv, type MessageBus } from '@trustline/messaging';
import { createLogger, type Logger } from '@trustline/observability';
import { openDatabase, type Database } from '@trustline/persistence';
import {
  ConfigError,
  loadServiceConfig,
  startServiceApp,
  type EnvSpec,
  type RunningService,
  type ServiceConfig,
} from '@trustline/service-kit';
import { ALL_SERVICES } from './all-services';
import { ServiceNotReadyError } from './service-not-ready.error';

export interface StandalonePlatform {
  readonly services: readonly RunningService[];
  readonly gatewayUrl: string;
  stop(): Promise<void>;
}

/** Validates every service's variables first and reports all problems at once. */
function loadAllConfigs(env: NodeJS.ProcessEnv): ServiceConfig<EnvSpec>[] {
  const configs: ServiceConfig<EnvSpec>[] = [];
  const problems: ConfigError['problems'][number][] = [];
  for (const definition of ALL_SERVICES) {
    try {
      configs.push(loadServiceConfig(definition, env));
    } catch (error) {
      if (!(error instanceof ConfigError)) {
        throw error;
      }
      problems.push(...error.problems.filter((p) => !problems.some((q) => q.variable === p.variable)));
    }
  }
  if (problems.length > 0) {
    throw new ConfigError('standalone', problems);
  }
  return configs;
}

/**
 * Standalone mode: all six services in this process, each its own Nest application with its own schema, on ONE
 * embedded PostgreSQL (or DATABASE_URL when set) and ONE in-process bus (or NATS when NATS_URL is set).
 */
export async function startStandalonePlatform(env: NodeJS.ProcessEnv): Promise<StandalonePlatform> {
  const configs = loadAllConfigs(env);
  const shared = configs[0];
  if (!shared) {
    throw new Error('standalone: no services to run');
  }
  const logger: Logger = createLogger('standalone', { level: shared.LOG_LEVEL });
  const keyProvider = await localKeyProviderFromEnv(shared, logger);
  const database: Database = await openDatabase(shared);
  const bus: MessageBus<typeof contracts> = createBusFromEnv(contracts, shared, {
    name: 'trustline-standalone',
    logger,
  });
  const started: RunningService[] = [];

  const stop = async (): Promise<void> => {
    for (const service of [...started].reverse()) {
      await service.app.close();
    }
    await bus.close();
    await database.close();
  };

  try {
    await bus.start();
    for (const [index, definition] of ALL_SERVICES.entries()) {
      started.push(await startServiceApp(definition, configs[index], { database, bus, keyProvider }));
    }
    const gateway = started[started.length - 1];
    for (const service of started.slice(0, -1)) {
      gateway.readiness.add({
        name: service.name,
        check: async () => {
          if (!(await service.readiness.evaluate()).ready) {
            throw new ServiceNotReadyError(service.name);
          }
        },
      });
    }
    return { services: started, gatewayUrl: gateway.url, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
