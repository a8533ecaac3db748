import { createMessagingTables, dropMessagingTables } from '@trustline/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The gateway schema's first migration: the transactional outbox and the consumer inbox. */
export class InitGateway1764061200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropMessagingTables(queryRunner);
  }
}
