import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The WhatsApp edge: contacts, service windows, intake dedupe, unrouted webhooks, the outbound log, halts. */
export class AddWhatsAppEdge1795601410511 implements MigrationInterface {
  name = 'AddWhatsAppEdge1795601410511';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "gateway"."contact" (
                "tenant_id" text NOT NULL,
                "contact_ref" text NOT NULL,
                "wa_id_index" text,
                "user_id_index" text,
                "wa_id" text,
                "user_id" text,
                "profile_name" text,
                "marketing_stopped" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_contact" PRIMARY KEY ("tenant_id", "contact_ref")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_contact_user_id_index" ON "gateway"."contact" ("tenant_id", "user_id_index")
            WHERE "user_id_index" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_contact_wa_id_index" ON "gateway"."contact" ("tenant_id", "wa_id_index")
            WHERE "wa_id_index" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "gateway"."service_window" (
                "phone_number_id" text NOT NULL,
                "contact_ref" text NOT NULL,
                "tenant_id" text NOT NULL,
                "last_inbound_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_service_window" PRIMARY KEY ("phone_number_id", "contact_ref")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "gateway"."inbound_message" (
                "wamid" text NOT NULL,
                "tenant_id" text NOT NULL,
                "phone_number_id" text NOT NULL,
                "contact_ref" text NOT NULL,
                "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_inbound_message" PRIMARY KEY ("wamid")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_inbound_message_contact" ON "gateway"."inbound_message" ("tenant_id", "contact_ref")
        `);
    await queryRunner.query(`
            CREATE TABLE "gateway"."preference_receipt" (
                "contact_ref" text NOT NULL,
                "category" text NOT NULL,
                "value" text NOT NULL,
                "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "tenant_id" text NOT NULL,
                CONSTRAINT "PK_preference_receipt" PRIMARY KEY ("contact_ref", "category", "value", "changed_at")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "gateway"."status_receipt" (
                "wamid" text NOT NULL,
                "status" text NOT NULL,
                "tenant_id" text NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_status_receipt" PRIMARY KEY ("wamid", "status")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "gateway"."outbound_message" (
                "outbound_id" uuid NOT NULL,
                "tenant_id" text NOT NULL,
                "contact_ref" text NOT NULL,
                "purpose" text NOT NULL,
                "kind" text,
                "phone_number_id" text,
                "state" text NOT NULL,
                "wamid" text,
                "attempts" integer NOT NULL DEFAULT '0',
                "error_code" integer,
                "failure_reason" text,
                "sending_since" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_outbound_message" PRIMARY KEY ("outbound_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_outbound_message_contact" ON "gateway"."outbound_message" ("tenant_id", "contact_ref")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_outbound_message_wamid" ON "gateway"."outbound_message" ("wamid")
            WHERE "wamid" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "gateway"."tenant_sending_halt" (
                "tenant_id" text NOT NULL,
                "error_code" integer NOT NULL,
                "halted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_tenant_sending_halt" PRIMARY KEY ("tenant_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "gateway"."unrouted_webhook" (
                "id" uuid NOT NULL,
                "app_name" text NOT NULL,
                "phone_number_id" text,
                "waba_id" text NOT NULL,
                "reason" text NOT NULL,
                "change_count" integer NOT NULL,
                "body_sha256" text NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_unrouted_webhook" PRIMARY KEY ("id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "gateway"."unrouted_webhook"
        `);
    await queryRunner.query(`
            DROP TABLE "gateway"."tenant_sending_halt"
        `);
    await queryRunner.query(`
            DROP INDEX "gateway"."UQ_outbound_message_wamid"
        `);
    await queryRunner.query(`
            DROP INDEX "gateway"."IDX_outbound_message_contact"
        `);
    await queryRunner.query(`
            DROP TABLE "gateway"."outbound_message"
        `);
    await queryRunner.query(`
            DROP TABLE "gateway"."status_receipt"
        `);
    await queryRunner.query(`
            DROP TABLE "gateway"."preference_receipt"
        `);
    await queryRunner.query(`
            DROP INDEX "gateway"."IDX_inbound_message_contact"
        `);
    await queryRunner.query(`
            DROP TABLE "gateway"."inbound_message"
        `);
    await queryRunner.query(`
            DROP TABLE "gateway"."service_window"
        `);
    await queryRunner.query(`
            DROP INDEX "gateway"."UQ_contact_wa_id_index"
        `);
    await queryRunner.query(`
            DROP INDEX "gateway"."UQ_contact_user_id_index"
        `);
    await queryRunner.query(`
            DROP TABLE "gateway"."contact"
        `);
  }
}
