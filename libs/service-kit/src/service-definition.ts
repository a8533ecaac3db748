import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import type { ServiceName } from '@trustline/contracts';
import type { EntityDefinition, MigrationClass } from '@trustline/persistence';
import type { ValidatorSpec } from 'envalid';
import type { ServiceConfig } from './service-config';

export type EnvSpec = Record<string, ValidatorSpec<unknown>>;

export type CapabilityImports = NonNullable<ModuleMetadata['imports']>;

// Declared as a method so that it is bivariant in the config: a definition for one service's variables is still a
// ServiceDefinition<EnvSpec> to the launchers that run all six.
type ChooseImports<S extends EnvSpec> = { choose(config: ServiceConfig<S>): CapabilityImports }['choose'];

/**
 * Everything the platform needs to run one service, in either mode. A service declares this once (service.ts);
 * its own main.ts runs it as a process (distributed), and the standalone launcher runs all six in one process.
 */
export interface ServiceDefinition<S extends EnvSpec = EnvSpec> {
  readonly name: ServiceName;
  /** The service's own variables (envalid spec); shared ones (database, NATS, logs, HTTP) are added by the kit. */
  readonly env: S;
  /** The variable holding the HTTP port: `<SERVICE>_PORT`, distinct per service so one process can host all six. */
  readonly portVariable: string;
  readonly entities: readonly EntityDefinition[];
  readonly migrations: readonly MigrationClass[];
  /**
   * The service's capability modules, or a function of its validated config choosing them (e.g. a process that
   * runs only the HTTP edge and leaves the consumers to another deployment).
   */
  readonly imports: CapabilityImports | ChooseImports<S>;
  /**
   * Adjusts the HTTP application after it is created and before it listens (e.g. the gateway mounts its webhook
   * receiver ahead of Nest's JSON parser, so that the signature is checked on the raw bytes before any parsing).
   */
  readonly configureApp?: (app: INestApplication) => void;
}

export function defineService<S extends EnvSpec>(
  definition: ServiceDefinition<S> & { readonly portVariable: keyof S & string },
): ServiceDefinition<S> {
  return definition;
}
