import { tablePath } from '@trustline/persistence';
import type { QueryRunner } from 'typeorm';

/**
 * Creates the outbox and inbox tables in the schema of the DataSource running the migration (schema-qualified
 * SQL), for a service's own first migration. Matches OutboxEventEntity and InboxEventEntity exactly.
 */
export async function createMessagingTables(queryRunner: QueryRunner): Promise<void> {
  const outbox = tablePath(queryRunner.connection, 'outbox_event');
  const inbox = tablePath(queryRunner.connection, 'inbox_event');
  await queryRunner.query(
    `CREATE TABLE ${outbox} ("id" uuid NOT NULL, "subject" text NOT NULL, "envelope" jsonb NOT NULL, ` +
      `"headers" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
      `"locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_outbox_event" PRIMARY KEY ("id"))`,
  );
  await queryRunner.query(`CREATE INDEX "IDX_outbox_event_created_at" ON ${outbox} ("created_at")`);
  await queryRunner.query(
    `CREATE TABLE ${inbox} ("consumer" text NOT NULL, "event_id" uuid NOT NULL, ` +
      `"processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
      `CONSTRAINT "PK_inbox_event" PRIMARY KEY ("consumer", "event_id"))`,
  );
  await queryRunner.query(`CREATE INDEX "IDX_inbox_event_processed_at" ON ${inbox} ("processed_at")`);
}

export async function dropMessagingTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TABLE ${tablePath(queryRunner.connection, 'inbox_event')}`);
  await queryRunner.query(`DROP TABLE ${tablePath(queryRunner.connection, 'outbox_event')}`);
}
