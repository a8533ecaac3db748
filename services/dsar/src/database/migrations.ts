import { InitDsar1764061200004 } from './migrations/1764061200004-InitDsar';

/** Every migration of the dsar schema, oldest first (listed explicitly: no globs). */
export const dsarMigrations = [InitDsar1764061200004];
