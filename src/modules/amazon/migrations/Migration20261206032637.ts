import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261206032637 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "amazon_notification_setup" drop constraint if exists "amazon_notification_setup_account_id_unique";`);
    this.addSql(`alter table if exists "amazon_notification" drop constraint if exists "amazon_notification_notification_key_unique";`);
    this.addSql(`create table if not exists "amazon_notification" ("id" text not null, "account_id" text null, "notification_key" text not null, "notification_type" text null, "subject" text null, "event_time" timestamptz null, "status" text check ("status" in ('received', 'applied', 'ignored', 'failed', 'invalid')) not null default 'received', "outcome" text null, "error" text null, "attempts" integer not null default 0, "deliveries" integer not null default 1, "received_at" timestamptz not null, "applied_at" timestamptz null, "payload" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_notification_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_notification_deleted_at" ON "amazon_notification" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_notification_notification_key_unique" ON "amazon_notification" ("notification_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_notification_account_id_received_at" ON "amazon_notification" ("account_id", "received_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_notification_status" ON "amazon_notification" ("status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "amazon_notification_setup" ("id" text not null, "account_id" text not null, "status" text check ("status" in ('setting_up', 'active', 'failed', 'removing', 'removed')) not null default 'setting_up', "queue_url" text not null, "queue_arn" text not null, "aws_region" text not null, "aws_access_key_id" text not null, "aws_secret_access_key_encrypted" text null, "destination_id" text null, "eventbridge_account_id" text null, "eventbridge_destination_id" text null, "subscriptions" jsonb null, "last_error" text null, "last_error_at" timestamptz null, "last_receive_at" timestamptz null, "last_message_at" timestamptz null, "received_count" integer not null default 0, "applied_count" integer not null default 0, "duplicate_count" integer not null default 0, "invalid_count" integer not null default 0, "requested_by" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_notification_setup_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_notification_setup_deleted_at" ON "amazon_notification_setup" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_notification_setup_account_id_unique" ON "amazon_notification_setup" ("account_id") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "amazon_listing" drop constraint if exists "amazon_listing_amazon_quantity_source_check";`);

    this.addSql(`alter table if exists "amazon_listing" add constraint "amazon_listing_amazon_quantity_source_check" check("amazon_quantity_source" in ('listing', 'report', 'notification'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "amazon_notification" cascade;`);

    this.addSql(`drop table if exists "amazon_notification_setup" cascade;`);

    this.addSql(`alter table if exists "amazon_listing" drop constraint if exists "amazon_listing_amazon_quantity_source_check";`);

    this.addSql(`alter table if exists "amazon_listing" add constraint "amazon_listing_amazon_quantity_source_check" check("amazon_quantity_source" in ('listing', 'report'));`);
  }

}
