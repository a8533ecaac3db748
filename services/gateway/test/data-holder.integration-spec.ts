import { FieldCipher, Keyring, LocalKeyProvider } from '@trustline/crypto';
import { describeDataHolderContract } from '@trustline/data-holder/testing';
import { dataSourceOptions, migrate, postgresDatabase, type Database } from '@trustline/persistence';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { gatewayEntities } from '../src/database/entities';
import { gatewayMigrations } from '../src/database/migrations';
import { GatewayDataHolder } from '../src/personal-data/gateway-data-holder';
import { adminUrl } from './support/gateway-harness';
import { uniqueName } from './support/wait';

const TABLES = [
  'contact',
  'service_window',
  'inbound_message',
  'outbound_message',
  'status_receipt',
  'preference_receipt',
  'subject_key',
  'shred_list',
];

describeDataHolderContract('gateway', async () => {
  // The gateway's migrations name their schema (`gateway`), as every service's do: a database of the test's own.
  const schema = 'gateway';
  const databaseName = uniqueName('gw_holder').toLowerCase();
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${databaseName}`;
  const database: Database = postgresDatabase(url.href, {
    DB_POOL_MAX: 4,
    DB_SSL_MODE: 'disable',
    DB_SSL_CA: undefined,
    DB_STATEMENT_TIMEOUT_MS: 30_000,
  });
  const dataSource = await new DataSource(
    dataSourceOptions({ schema, entities: gatewayEntities, migrations: gatewayMigrations, database }),
  ).initialize();
  await migrate(dataSource, schema);
  const keyring = new Keyring(dataSource, new LocalKeyProvider(new Map([[1, randomBytes(32)]]), 1));
  const cipher = new FieldCipher(keyring);
  const holder = new GatewayDataHolder(dataSource, cipher, keyring);
  return {
    holder,
    category: 'message-log',
    field: 'name',
    // A contact (its name sealed, last seen at createdAt) with one inbound message received at createdAt.
    async seed(subject, { value, createdAt }) {
      const { tenantId, subjectRef } = subject;
      const name = await cipher.sealText(value, { tenantId, subjectRef, field: 'contact.profileName' });
      await dataSource.query(
        `INSERT INTO "${schema}"."contact" ("tenant_id", "contact_ref", "profile_name", "created_at", "updated_at")
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT ("tenant_id", "contact_ref") DO UPDATE SET "profile_name" = EXCLUDED."profile_name"`,
        [tenantId, subjectRef, name, createdAt],
      );
      await dataSource.query(
        `INSERT INTO "${schema}"."inbound_message" ("wamid", "tenant_id", "phone_number_id", "contact_ref", "sent_at", "received_at")
         VALUES ($1, $2, '100000000000001', $3, $4, $4)`,
        [`wamid.${randomBytes(8).toString('hex')}`, tenantId, subjectRef, createdAt],
      );
    },
    async rawDump() {
      const parts: unknown[] = [];
      for (const table of TABLES) {
        parts.push(await dataSource.query(`SELECT * FROM "${schema}"."${table}"`));
      }
      return JSON.stringify(parts);
    },
    async close() {
      await dataSource.destroy();
      await database.close();
      const cleanup = new Client({ connectionString: adminUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
});
