import { schemaOf } from '@trustline/contracts';
import { createLogger } from '@trustline/observability';
import { dataSourceOptions, migrate, openDatabase } from '@trustline/persistence';
import { DataSource } from 'typeorm';
import { loadServiceConfig, reportStartFailure } from './run-service';
import type { EnvSpec, ServiceDefinition } from './service-definition';

/**
 * Applies one service's migrations to its schema and exits: the Helm pre-install/pre-upgrade Job, so replicas
 * don't all migrate at boot. Exit code 0 only if every migration applied (or none were pending).
 */
export async function runMigrationsOnly<S extends EnvSpec>(
  definition: ServiceDefinition<S>,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  try {
    const config = loadServiceConfig(definition, env);
    const logger = createLogger(definition.name, { level: config.LOG_LEVEL });
    const database = await openDatabase(config);
    const schema = schemaOf(definition.name);
    const dataSource = await new DataSource(
      dataSourceOptions({ schema, entities: definition.entities, migrations: definition.migrations, database }),
    ).initialize();
    try {
      const applied = await migrate(dataSource, schema);
      logger.info({ schema, applied }, `${definition.name}: ${applied.length} migration(s) applied`);
    } finally {
      await dataSource.destroy();
      await database.close();
    }
  } catch (error) {
    reportStartFailure(definition.name, error);
    process.exitCode = 1;
  }
}
