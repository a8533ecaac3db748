import { schemaOf } from '@trustline/contracts';
import { dataSourceOptions, EmbeddedPostgres, migrate } from '@trustline/persistence';
import { DataSource } from 'typeorm';
import { ALL_SERVICES } from './all-services';

/**
 * TypeORM CLI entry for authoring a service's migrations (`npm run migration:generate`, see the README): a
 * throwaway in-memory PostgreSQL with the service's existing migrations applied, so TypeORM diffs the entities
 * against exactly what those migrations build — no server needed, nothing left behind.
 */
async function migrationDataSource(): Promise<DataSource> {
  // eslint-disable-next-line trustline/no-process-env -- a CLI entry point: TypeORM loads this file itself
  const name = process.env.TRUSTLINE_SERVICE;
  const service = ALL_SERVICES.find((candidate) => candidate.name === name);
  if (!service) {
    throw new Error(`set TRUSTLINE_SERVICE to one of: ${ALL_SERVICES.map((s) => s.name).join(', ')}`);
  }
  const database = await EmbeddedPostgres.open(`memory://migration-${service.name}`);
  const options = dataSourceOptions({
    schema: schemaOf(service.name),
    entities: service.entities,
    migrations: service.migrations,
    database,
  });
  const current = await new DataSource(options).initialize();
  await migrate(current, schemaOf(service.name));
  await current.destroy();
  return new DataSource(options);
}

export const dataSource = migrationDataSource();
