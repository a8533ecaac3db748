/** Where the integration tests find PostgreSQL and NATS (CI and developer machines run both locally). */
export const testDatabaseUrl = (): string =>
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testNatsUrl = (): string => process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
