import { tablePath } from '@trustline/persistence';
import type { QueryRunner } from 'typeorm';

/**
 * Creates the key tables in the schema of the DataSource running the migration (schema-qualified SQL), for a
 * service's own migration. Matches TenantKeyEntity, SubjectKeyEntity and ShredRecordEntity exactly.
 */
export async function createCryptoTables(queryRunner: QueryRunner): Promise<void> {
  const connection = queryRunner.connection;
  await queryRunner.query(
    `CREATE TABLE ${tablePath(connection, 'tenant_key')} ("tenant_id" text NOT NULL, "version" integer NOT NULL, ` +
      `"root_key_version" integer NOT NULL, "wrapped" bytea NOT NULL, "index_wrapped" bytea NOT NULL, ` +
      `"created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
      `CONSTRAINT "PK_tenant_key" PRIMARY KEY ("tenant_id", "version"))`,
  );
  await queryRunner.query(
    `CREATE TABLE ${tablePath(connection, 'subject_key')} ("tenant_id" text NOT NULL, "subject_ref" text NOT NULL, ` +
      `"key_id" bytea NOT NULL, "tenant_key_version" integer NOT NULL, "wrapped" bytea NOT NULL, ` +
      `"created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
      `CONSTRAINT "PK_subject_key" PRIMARY KEY ("tenant_id", "subject_ref"), ` +
      `CONSTRAINT "FK_subject_key_tenant_key" FOREIGN KEY ("tenant_id", "tenant_key_version") ` +
      `REFERENCES ${tablePath(connection, 'tenant_key')} ("tenant_id", "version") ON DELETE NO ACTION ON UPDATE NO ACTION)`,
  );
  await queryRunner.query(
    `CREATE INDEX "IDX_subject_key_tenant_key" ON ${tablePath(connection, 'subject_key')} ` +
      `("tenant_id", "tenant_key_version")`,
  );
  await queryRunner.query(
    `CREATE TABLE ${tablePath(connection, 'shred_list')} ("tenant_id" text NOT NULL, "subject_ref" text NOT NULL, ` +
      `"key_id" bytea NOT NULL, "shredded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
      `CONSTRAINT "PK_shred_list" PRIMARY KEY ("tenant_id", "subject_ref", "key_id"))`,
  );
}

export async function dropCryptoTables(queryRunner: QueryRunner): Promise<void> {
  for (const table of ['shred_list', 'subject_key', 'tenant_key'] as const) {
    await queryRunner.query(`DROP TABLE ${tablePath(queryRunner.connection, table)}`);
  }
}
