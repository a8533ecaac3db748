import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from './messaging-tables';

/**
 * The outbox and inbox tables as a migration of their own, for a service to add to its migrations list (or call
 * createMessagingTables from its first migration instead).
 */
export class CreateMessagingTables1700000000000 implements MigrationInterface {
  name = 'CreateMessagingTables1700000000000';

  up(queryRunner: QueryRunner): Promise<void> {
    return createMessagingTables(queryRunner);
  }

  down(queryRunner: QueryRunner): Promise<void> {
    return dropMessagingTables(queryRunner);
  }
}
