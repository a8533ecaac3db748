import { InitGateway1764061200000 } from './migrations/1764061200000-InitGateway';

/** Every migration of the gateway schema, oldest first (listed explicitly: no globs). */
export const gatewayMigrations = [InitGateway1764061200000];
