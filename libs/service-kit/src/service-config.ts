import { Inject } from '@nestjs/common';
import type { CleanedEnv } from 'envalid';
import type { platformEnv } from './platform-env';
import type { EnvSpec } from './service-definition';

/** Injection token of the service's validated configuration. */
export const SERVICE_CONFIG = Symbol('trustline.service-config');

/** The variables every service reads, validated. */
export type PlatformConfig = CleanedEnv<typeof platformEnv>;

/** Validated configuration of a service: the platform variables plus its own (`S`, its envalid spec). */
export type ServiceConfig<S extends EnvSpec = EnvSpec> = PlatformConfig & CleanedEnv<S>;

export const InjectServiceConfig = (): ParameterDecorator => Inject(SERVICE_CONFIG);
