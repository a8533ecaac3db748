import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import {
  databaseEnv,
  databaseHealthCheck,
  EmbeddedPostgres,
  openDatabase,
  PersistenceModule,
  type Database,
} from '@trustline/persistence';
import { cleanEnv } from 'envalid';
import { DataSource, type MigrationInterface, type QueryRunner, type Repository } from 'typeorm';
import { ConsentNoteEntity } from './fixtures/consent-note.entity';
import { consentService } from './fixtures/services';
import { createTestDatabase, type TestDatabase } from './fixtures/test-database';

jest.setTimeout(60_000);

@Injectable()
class NoteService {
  constructor(@InjectRepository(ConsentNoteEntity) private readonly notes: Repository<ConsentNoteEntity>) {}

  async add(label: string): Promise<number> {
    await this.notes.insert({ label });
    return this.notes.countBy({ label });
  }
}

@Module({ imports: [TypeOrmModule.forFeature([ConsentNoteEntity])], providers: [NoteService] })
class NoteModule {}

function appModule(
  database: Database,
  migrateOnBoot: boolean,
  migrations = consentService.migrations,
  onTypeormMessage?: (message: string) => void,
): object {
  @Module({
    imports: [
      PersistenceModule.forService({ ...consentService, migrations, database, migrateOnBoot, onTypeormMessage }),
      NoteModule,
    ],
  })
  class AppModule {}
  return AppModule;
}

class BrokenMigration1700000000009 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT * FROM "consent"."no_such_table"');
  }

  async down(): Promise<void> {}
}

describe(PersistenceModule.name, () => {
  describe.each(['postgres', 'embedded'] as const)('on %s', (kind) => {
    let testDatabase: TestDatabase | undefined;
    let database: Database;
    let app: INestApplicationContext | undefined;

    beforeAll(async () => {
      if (kind === 'postgres') {
        testDatabase = await createTestDatabase();
        database = await openDatabase(cleanEnv({ DATABASE_URL: testDatabase.url }, databaseEnv));
      } else {
        database = await EmbeddedPostgres.open('memory://persistence-module');
      }
    });

    afterAll(async () => {
      await app?.close();
      await database?.close();
      await testDatabase?.drop();
    });

    it('migrates on boot and serves repositories to feature modules through forFeature', async () => {
      app = await NestFactory.createApplicationContext(appModule(database, true), { logger: false });
      expect(await app.get(NoteService).add('from-a-feature-module')).toBe(1);
      const dataSource = app.get(DataSource);
      expect(dataSource.options.type === 'postgres' && dataSource.options.schema).toBe('consent');
      const history: unknown[] = await dataSource.query('SELECT name FROM "consent"."migrations"');
      expect(history).toHaveLength(2);
    });

    it('reports readiness with databaseHealthCheck until the app closes', async () => {
      const check = databaseHealthCheck(app!.get(DataSource));
      expect(check.name).toBe('database');
      await expect(check.check()).resolves.toBeUndefined();
      await app!.close();
      app = undefined;
      await expect(check.check()).rejects.toThrow('data source is not initialized');
    });

    it('fails start-up at once when a migration fails (no reconnect retries)', async () => {
      const typeormMessages: string[] = [];
      const started = Date.now();
      const failing = NestFactory.createApplicationContext(
        appModule(database, true, [...consentService.migrations, BrokenMigration1700000000009], (message) =>
          typeormMessages.push(message),
        ),
        { logger: false, abortOnError: false },
      );
      await expect(failing).rejects.toThrow('migrations of schema "consent" failed');
      expect(Date.now() - started).toBeLessThan(2_500); // a retry would wait 3 s first
      // TypeORM's migration messages reach the service's callback instead of the console.
      expect(typeormMessages).toContainEqual(
        expect.stringContaining('Migration "BrokenMigration1700000000009" failed'),
      );
    });
  });
});
