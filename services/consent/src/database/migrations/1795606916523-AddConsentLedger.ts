import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class AddConsentLedger1795606916523 implements MigrationInterface {
  name = 'AddConsentLedger1795606916523';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "consent"."consent_subject" (
                "tenant_id" text NOT NULL,
                "subject_ref" text NOT NULL,
                "status" text NOT NULL,
                "language" text,
                "region" text,
                "regime" text,
                "wa_id_index" text,
                "user_id_index" text,
                "last_prompted_at" TIMESTAMP WITH TIME ZONE,
                "prompted_version" integer,
                "granted_version" integer,
                "granted_purposes" text array NOT NULL DEFAULT '{}',
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "issued_outbound_id" uuid,
                "issued_purpose" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_consent_subject" PRIMARY KEY ("tenant_id", "subject_ref")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_consent_subject_user_id_index" ON "consent"."consent_subject" ("tenant_id", "user_id_index")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_consent_subject_wa_id_index" ON "consent"."consent_subject" ("tenant_id", "wa_id_index")
        `);
    await queryRunner.query(`
            CREATE TABLE "consent"."held_message" (
                "tenant_id" text NOT NULL,
                "message_id" text NOT NULL,
                "subject_ref" text NOT NULL,
                "phone_number_id" text NOT NULL,
                "type" text NOT NULL,
                "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "interaction" jsonb,
                "in_reply_to" text,
                "payload" text NOT NULL,
                "held_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_held_message" PRIMARY KEY ("tenant_id", "message_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_held_message_held_at" ON "consent"."held_message" ("held_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_held_message_subject" ON "consent"."held_message" ("tenant_id", "subject_ref", "sent_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "consent"."consent_record" (
                "record_id" uuid NOT NULL,
                "seq" BIGSERIAL NOT NULL,
                "tenant_id" text NOT NULL,
                "subject_ref" text NOT NULL,
                "purpose" text NOT NULL,
                "action" text NOT NULL,
                "notice_version" integer,
                "notice_purposes" text array NOT NULL,
                "lawful_basis" text NOT NULL,
                "channel" text NOT NULL,
                "regime" text NOT NULL,
                "language" text,
                "evidence" jsonb NOT NULL,
                "request_id" uuid,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_consent_record" PRIMARY KEY ("record_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_consent_record_request" ON "consent"."consent_record" ("tenant_id", "request_id", "purpose")
            WHERE "request_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_consent_record_subject" ON "consent"."consent_record" ("tenant_id", "subject_ref", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "consent"."purpose_state" (
                "tenant_id" text NOT NULL,
                "subject_ref" text NOT NULL,
                "purpose" text NOT NULL,
                "state" text NOT NULL,
                "notice_version" integer,
                "platform_stopped" boolean NOT NULL DEFAULT false,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "last_record_id" uuid NOT NULL,
                CONSTRAINT "PK_purpose_state" PRIMARY KEY ("tenant_id", "subject_ref", "purpose")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "consent"."notice" (
                "tenant_id" text NOT NULL,
                "version" integer NOT NULL,
                "language" text NOT NULL,
                "purposes" jsonb NOT NULL,
                "prompt" text NOT NULL,
                "prompt_sha256" text NOT NULL,
                "first_shown_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_notice" PRIMARY KEY ("tenant_id", "version", "language")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "consent"."suppression_tombstone" (
                "tombstone_id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "tenant_id" text NOT NULL,
                "wa_id_index" text,
                "user_id_index" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_suppression_tombstone" PRIMARY KEY ("tombstone_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_suppression_tombstone_user_id" ON "consent"."suppression_tombstone" ("tenant_id", "user_id_index")
            WHERE "user_id_index" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_suppression_tombstone_wa_id" ON "consent"."suppression_tombstone" ("tenant_id", "wa_id_index")
            WHERE "wa_id_index" IS NOT NULL
        `);
    // The ledger is append-only: no UPDATE ever, no TRUNCATE, and DELETE only inside a transaction that opened
    // the door for erasure or retention (set_config('trustline.consent_ledger_purge', 'on', true)).
    await queryRunner.query(`
            CREATE FUNCTION "consent"."consent_record_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND current_setting('trustline.consent_ledger_purge', true) = 'on' THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'consent_record is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "consent_record_append_only" BEFORE UPDATE OR DELETE ON "consent"."consent_record"
            FOR EACH ROW EXECUTE FUNCTION "consent"."consent_record_append_only"()
        `);
    await queryRunner.query(`
            CREATE TRIGGER "consent_record_no_truncate" BEFORE TRUNCATE ON "consent"."consent_record"
            FOR EACH STATEMENT EXECUTE FUNCTION "consent"."consent_record_append_only"()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "consent_record_no_truncate" ON "consent"."consent_record"`);
    await queryRunner.query(`DROP TRIGGER "consent_record_append_only" ON "consent"."consent_record"`);
    await queryRunner.query(`DROP FUNCTION "consent"."consent_record_append_only"()`);
    await queryRunner.query(`
            DROP INDEX "consent"."UQ_suppression_tombstone_wa_id"
        `);
    await queryRunner.query(`
            DROP INDEX "consent"."UQ_suppression_tombstone_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "consent"."suppression_tombstone"
        `);
    await queryRunner.query(`
            DROP TABLE "consent"."notice"
        `);
    await queryRunner.query(`
            DROP TABLE "consent"."purpose_state"
        `);
    await queryRunner.query(`
            DROP INDEX "consent"."IDX_consent_record_subject"
        `);
    await queryRunner.query(`
            DROP INDEX "consent"."UQ_consent_record_request"
        `);
    await queryRunner.query(`
            DROP TABLE "consent"."consent_record"
        `);
    await queryRunner.query(`
            DROP INDEX "consent"."IDX_held_message_subject"
        `);
    await queryRunner.query(`
            DROP INDEX "consent"."IDX_held_message_held_at"
        `);
    await queryRunner.query(`
            DROP TABLE "consent"."held_message"
        `);
    await queryRunner.query(`
            DROP INDEX "consent"."IDX_consent_subject_wa_id_index"
        `);
    await queryRunner.query(`
            DROP INDEX "consent"."IDX_consent_subject_user_id_index"
        `);
    await queryRunner.query(`
            DROP TABLE "consent"."consent_subject"
        `);
  }
}
