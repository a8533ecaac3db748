import { contracts } from '@trustline/contracts';
import { localKeyProviderFromEnv } from '@trustline/crypto';
import { createBusFromEnv, type MessageBus } from '@trustline/messaging';
import { createLogger } from '@trustline/observability';
import { openDatabase, type Database } from '@trustline/persistence';
import { loadConfig } from './config-loader';
import { platformEnv } from './platform-env';
import { startServiceApp, type RunningService } from './service-app';
import type { ServiceConfig } from './service-config';
import type { EnvSpec, ServiceDefinition } from './service-definition';
import { onShutdownSignal } from './shutdown-signal';

/** Validates the service's variables (shared plus its own) once, before anything starts. */
export function loadServiceConfig<S extends EnvSpec>(
  definition: ServiceDefinition<S>,
  env: NodeJS.ProcessEnv,
): ServiceConfig<S> {
  return loadConfig(definition.name, { ...platformEnv, ...definition.env }, env);
}

/**
 * Distributed mode: runs one service as this process, on its own database pool and bus connection.
 * SIGTERM/SIGINT: stop consuming and finish in-flight work (app.close), then close the bus and the database.
 * Any start-up failure — a bad variable included — is printed and exits with code 1.
 */
export async function runService<S extends EnvSpec>(
  definition: ServiceDefinition<S>,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  let database: Database | undefined;
  let bus: MessageBus<typeof contracts> | undefined;
  let running: RunningService | undefined;
  try {
    const config = loadServiceConfig(definition, env);
    const logger = createLogger(definition.name, { level: config.LOG_LEVEL });
    logger.info({ pid: process.pid }, `${definition.name} starting`);
    const keyProvider = await localKeyProviderFromEnv(config, logger);
    database = await openDatabase(config);
    bus = createBusFromEnv(contracts, config, { name: definition.name, logger });
    await bus.start();
    running = await startServiceApp(definition, config, { database, bus, keyProvider });
    const service = running;
    const resources = { database, bus };
    onShutdownSignal(async (signal) => {
      service.logger.info({ signal }, `${definition.name} shutting down`);
      await service.app.close();
      await resources.bus.close();
      await resources.database.close();
      service.logger.info({}, `${definition.name} stopped`);
    });
  } catch (error) {
    await running?.app.close().catch(() => undefined);
    await bus?.close().catch(() => undefined);
    await database?.close().catch(() => undefined);
    reportStartFailure(definition.name, error);
    process.exitCode = 1;
  }
}

/** Start-up failures go to stderr as one line per cause; messages from our code never hold values. */
export function reportStartFailure(service: string, error: unknown): void {
  const causes: string[] = [];
  for (let cause: unknown = error; cause instanceof Error && causes.length < 5; cause = cause.cause) {
    causes.push(`${cause.name}: ${cause.message}`);
  }
  process.stderr.write(`${service} failed to start: ${causes.join(' <- caused by ') || String(error)}\n`);
}
