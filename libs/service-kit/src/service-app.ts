import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, NestLogger, ReadinessRegistry, type Logger } from '@trustline/observability';
import { databaseHealthCheck } from '@trustline/persistence';
import { DataSource } from 'typeorm';
import type { ServiceConfig } from './service-config';
import type { EnvSpec, ServiceDefinition } from './service-definition';
import { ServiceRootModule } from './service-root.module';
import type { ServiceRuntime } from './service-runtime';

export interface RunningService {
  readonly name: string;
  readonly app: INestApplication;
  readonly url: string;
  readonly logger: Logger;
  readonly readiness: ReadinessRegistry;
}

/**
 * Creates one service's Nest application on the given runtime: migrations (when MIGRATE_ON_BOOT), consumers,
 * readiness checks for its database and bus, then listens on its port. Rejects if any of it fails.
 */
export async function startServiceApp<S extends EnvSpec>(
  definition: ServiceDefinition<S>,
  config: ServiceConfig<S>,
  runtime: ServiceRuntime,
): Promise<RunningService> {
  const logger = createLogger(definition.name, { level: config.LOG_LEVEL });
  const app = await NestFactory.create(ServiceRootModule.for(definition, config, runtime), {
    logger: new NestLogger(logger),
    abortOnError: false,
  });
  definition.configureApp?.(app);
  const readiness = app.get(ReadinessRegistry);
  readiness.add(databaseHealthCheck(app.get(DataSource)));
  readiness.add({ name: 'bus', check: () => runtime.bus.ping() });
  const port = Number((config as Record<string, unknown>)[definition.portVariable]);
  await app.listen(port, config.HTTP_HOST);
  const url = `http://${config.HTTP_HOST}:${port}`;
  logger.info({ url }, `${definition.name} listening`);
  return { name: definition.name, app, url, logger, readiness };
}
