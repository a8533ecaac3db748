import { InitRetention1764061200003 } from './migrations/1764061200003-InitRetention';

/** Every migration of the retention schema, oldest first (listed explicitly: no globs). */
export const retentionMigrations = [InitRetention1764061200003];
