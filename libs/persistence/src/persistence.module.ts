import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { dataSourceOptions, type ServiceDataSourceSettings } from './data-source-options';
import { migrate } from './migrate';

export interface PersistenceModuleOptions extends ServiceDataSourceSettings {
  /** Run `migrate()` when the DataSource is created (standalone and local dev; the Helm chart uses a Job instead). */
  readonly migrateOnBoot: boolean;
}

/** Failures of the migrations themselves are not worth reconnect retries. */
class MigrationRunError extends Error {
  override readonly name = 'MigrationRunError';
}

/**
 * The service's DataSource for Nest: `TypeOrmModule.forRootAsync` over {@link dataSourceOptions}, optionally running
 * {@link migrate} before the app serves anything. Feature modules keep using `TypeOrmModule.forFeature([Entity])`
 * and `@InjectRepository`; the DataSource is injectable as `DataSource`. The `database` stays the caller's to close
 * (after the app, whose shutdown destroys the DataSource).
 */
@Module({})
export class PersistenceModule {
  static forService(options: PersistenceModuleOptions): DynamicModule {
    const { migrateOnBoot, ...settings } = options;
    const embedded = settings.database.kind === 'embedded';
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(settings),
            // PostgreSQL may come up after the pod: retry. The embedded database is in-process: no point.
            retryAttempts: embedded ? 1 : 10,
            retryDelay: 3_000,
            toRetry: (error: unknown) => !(error instanceof MigrationRunError),
          }),
          dataSourceFactory: async (typeOrmOptions?: DataSourceOptions) => {
            if (!typeOrmOptions) {
              throw new Error('persistence: missing DataSource options');
            }
            const dataSource = await new DataSource(typeOrmOptions).initialize();
            if (!migrateOnBoot) {
              return dataSource;
            }
            try {
              await migrate(dataSource, settings.schema);
            } catch (error) {
              await dataSource.destroy();
              throw new MigrationRunError(`migrations of schema "${settings.schema}" failed`, { cause: error });
            }
            return dataSource;
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
