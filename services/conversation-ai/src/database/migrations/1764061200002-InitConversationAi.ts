import { createMessagingTables, dropMessagingTables } from '@trustline/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The conversation-ai schema's first migration: the transactional outbox and the consumer inbox. */
export class InitConversationAi1764061200002 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropMessagingTables(queryRunner);
  }
}
