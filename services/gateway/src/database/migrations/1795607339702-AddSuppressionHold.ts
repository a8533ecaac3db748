import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The opt-out hold on contacts: set by an opt-out keyword, lifted by an opt-in keyword (see ContactEntity). */
export class AddSuppressionHold1795607339702 implements MigrationInterface {
  name = 'AddSuppressionHold1795607339702';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "gateway"."contact"
            ADD "suppressed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "gateway"."contact"
            ADD "suppression_changed_at" TIMESTAMP WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "gateway"."contact" DROP COLUMN "suppression_changed_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "gateway"."contact" DROP COLUMN "suppressed_at"
        `);
  }
}
