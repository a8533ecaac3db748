import { dataSourceOptions } from './data-source-options';
import { postgresDatabase } from './open-database';

class NoteEntity {}

describe(dataSourceOptions.name, () => {
  const database = postgresDatabase('postgres://consent:pw@db:5432/trustline', {
    DB_POOL_MAX: 7,
    DB_SSL_MODE: 'require',
    DB_STATEMENT_TIMEOUT_MS: 15_000,
  });

  it('pins the service schema, explicit migrations and no synchronize for PostgreSQL', () => {
    const sut = dataSourceOptions({ schema: 'conversation_ai', entities: [NoteEntity], migrations: [], database });
    expect(sut).toMatchObject({
      type: 'postgres',
      schema: 'conversation_ai',
      entities: [NoteEntity],
      synchronize: false,
      migrationsRun: false,
      migrationsTableName: 'migrations',
      uuidExtension: 'pgcrypto',
      installExtensions: false,
      logging: false,
      url: 'postgres://consent:pw@db:5432/trustline',
      poolSize: 7,
      ssl: { rejectUnauthorized: false, minVersion: 'TLSv1.3' },
      extra: { statement_timeout: 15_000 },
      applicationName: 'trustline-conversation_ai',
    });
  });

  it('refuses a schema name that is not a plain identifier', () => {
    for (const schema of ['Consent', 'conversation-ai', 'x"; DROP SCHEMA public; --', '']) {
      expect(() => dataSourceOptions({ schema, entities: [], migrations: [], database })).toThrow('schema:');
    }
  });
});
