import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createCryptoTables, dropCryptoTables } from './crypto-tables';

/** The key tables as a migration of their own, for a service's migrations list. */
export class CreateCryptoTables1700000000100 implements MigrationInterface {
  name = 'CreateCryptoTables1700000000100';

  up(queryRunner: QueryRunner): Promise<void> {
    return createCryptoTables(queryRunner);
  }

  down(queryRunner: QueryRunner): Promise<void> {
    return dropCryptoTables(queryRunner);
  }
}
