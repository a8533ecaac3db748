import { startCloudApiSimulator, type RunningSimulator } from '@trustline/cloud-api-simulator';
import { contracts } from '@trustline/contracts';
import { localKeyProviderFromEnv } from '@trustline/crypto';
import { createBusFromEnv, type MessageBus } from '@trustline/messaging';
import { createLogger, type Logger } from '@trustline/observability';
import { openDatabase, type Database } from '@trustline/persistence';
import {
  ConfigError,
  loadConfig,
  loadServiceConfig,
  startServiceApp,
  type EnvSpec,
  type RunningService,
  type ServiceConfig,
} from '@trustline/service-kit';
import { ALL_SERVICES } from './all-services';
import { ServiceNotReadyError } from './service-not-ready.error';
import { standaloneEnv } from './standalone.env';

export interface StandalonePlatform {
  readonly services: readonly RunningService[];
  readonly gatewayUrl: string;
  /** The built-in Cloud API simulator, when SIMULATOR_ENABLED (the default). */
  readonly simulatorUrl: string | undefined;
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
export async function startStandalonePlatform(given: NodeJS.ProcessEnv): Promise<StandalonePlatform> {
  // Standalone mode is for development: without an explicit NODE_ENV it is `development`, which is what lets the
  // development tenant's defaults apply. A service started on its own gets no such defaults unless told so.
  const env = given.NODE_ENV === undefined ? { ...given, NODE_ENV: 'development' } : given;
  const launcher = loadConfig('standalone', standaloneEnv, env);
  const simulatorUrl = launcher.SIMULATOR_ENABLED ? `http://127.0.0.1:${launcher.SIMULATOR_PORT}` : undefined;
  // With the simulator on, the gateway sends to it unless told otherwise.
  const serviceEnv =
    simulatorUrl && env.WHATSAPP_API_BASE_URL === undefined ? { ...env, WHATSAPP_API_BASE_URL: simulatorUrl } : env;
  const configs = loadAllConfigs(serviceEnv);
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
  let simulator: RunningSimulator | undefined;

  const stop = async (): Promise<void> => {
    for (const service of [...started].reverse()) {
      await service.app.close();
    }
    await simulator?.stop();
    await bus.close();
    await database.close();
  };

  try {
    if (launcher.SIMULATOR_ENABLED) {
      simulator = await startSimulator(configs[configs.length - 1], launcher.SIMULATOR_PORT);
    }
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
    return { services: started, gatewayUrl: gateway.url, simulatorUrl: simulator?.url, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Meta, played by the simulator, for the gateway's single configured tenant: it signs webhooks with the gateway's app
 * secret, posts them to the gateway, and accepts sends bearing the gateway's access token.
 */
function startSimulator(gateway: ServiceConfig<EnvSpec>, port: number): Promise<RunningSimulator> {
  const setting = (name: string): string => {
    const value = (gateway as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value === '') {
      throw new ConfigError('standalone', [{ variable: name, problem: 'required by the built-in simulator' }]);
    }
    return value;
  };
  const host = (gateway as Record<string, unknown>).HTTP_HOST;
  const gatewayHost = host === '0.0.0.0' || typeof host !== 'string' ? '127.0.0.1' : host;
  return startCloudApiSimulator({
    host: '127.0.0.1',
    port,
    accessToken: setting('WHATSAPP_ACCESS_TOKEN'),
    apps: [
      {
        appSecret: setting('WHATSAPP_APP_SECRET'),
        webhookUrl: `http://${gatewayHost}:${String((gateway as Record<string, unknown>).GATEWAY_PORT)}/webhooks/whatsapp`,
        phoneNumbers: [
          {
            phoneNumberId: setting('WHATSAPP_PHONE_NUMBER_ID'),
            displayPhoneNumber: setting('WHATSAPP_DISPLAY_NUMBER'),
            wabaId: '200000000000001',
          },
        ],
      },
    ],
  });
}
