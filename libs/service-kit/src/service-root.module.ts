import { Module, type DynamicModule } from '@nestjs/common';
import { schemaOf } from '@trustline/contracts';
import { CryptoModule } from '@trustline/crypto';
import { MessagingModule } from '@trustline/messaging';
import { createMetrics, HealthModule, MetricsModule } from '@trustline/observability';
import { PersistenceModule } from '@trustline/persistence';
import { SERVICE_CONFIG, type ServiceConfig } from './service-config';
import type { EnvSpec, ServiceDefinition } from './service-definition';
import type { ServiceRuntime } from './service-runtime';

/** The root of every service: the shared infrastructure modules once, then the service's capability modules. */
@Module({})
export class ServiceRootModule {
  static for<S extends EnvSpec>(
    definition: ServiceDefinition<S>,
    config: ServiceConfig<S>,
    runtime: ServiceRuntime,
  ): DynamicModule {
    const metrics = createMetrics(definition.name);
    metrics
      .gauge({
        name: 'trustline_service_info',
        help: 'Always 1: which service runs here, on which Node',
        labelNames: ['node'],
      })
      .set({ node: process.version }, 1);
    return {
      module: ServiceRootModule,
      imports: [
        {
          module: ServiceConfigModule,
          global: true,
          providers: [{ provide: SERVICE_CONFIG, useValue: config }],
          exports: [SERVICE_CONFIG],
        },
        PersistenceModule.forService({
          schema: schemaOf(definition.name),
          entities: definition.entities,
          migrations: definition.migrations,
          database: runtime.database,
          migrateOnBoot: config.MIGRATE_ON_BOOT,
        }),
        MessagingModule.forRoot({ bus: runtime.bus, service: definition.name }),
        CryptoModule.forRoot({
          provider: runtime.keyProvider,
          keyCacheTtlMs: config.CRYPTO_KEY_CACHE_TTL_MS,
          keyCacheMaxEntries: config.CRYPTO_KEY_CACHE_MAX,
        }),
        HealthModule.forRoot({ service: definition.name }),
        MetricsModule.forRoot({ metrics, expose: config.METRICS_ENABLED }),
        ...(typeof definition.imports === 'function' ? definition.imports(config) : definition.imports),
      ],
    };
  }
}

/** Holds the validated config provider (global, so every capability module can inject it). */
@Module({})
class ServiceConfigModule {}
