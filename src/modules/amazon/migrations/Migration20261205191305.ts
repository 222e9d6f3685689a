import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261205191305 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "amazon_drift_check" ("id" text not null, "account_id" text not null, "marketplace_id" text not null, "status" text check ("status" in ('requested', 'report', 'comparing', 'done', 'failed')) not null default 'requested', "report_id" text null, "report_status" text null, "report_data_at" timestamptz null, "trigger" text not null default 'scheduled', "requested_by" text null, "started_at" timestamptz not null, "finished_at" timestamptz null, "progress" text null, "summary" jsonb null, "error" text null, "calls" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_drift_check_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_drift_check_deleted_at" ON "amazon_drift_check" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_drift_check_account_id_marketplace_id_started_at" ON "amazon_drift_check" ("account_id", "marketplace_id", "started_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_drift_check_status" ON "amazon_drift_check" ("status") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "amazon_listing" add column if not exists "amazon_quantity" integer null, add column if not exists "amazon_quantity_at" timestamptz null, add column if not exists "amazon_quantity_source" text check ("amazon_quantity_source" in ('listing', 'report')) null, add column if not exists "confirm_status" text check ("confirm_status" in ('waiting', 'confirmed', 'mismatch', 'not_applied')) null, add column if not exists "confirm_due_at" timestamptz null, add column if not exists "confirm_attempts" integer not null default 0, add column if not exists "confirm_repushed_at" timestamptz null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_listing_confirm_due_at" ON "amazon_listing" ("confirm_due_at") WHERE deleted_at IS NULL AND confirm_due_at IS NOT NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "amazon_drift_check" cascade;`);

    this.addSql(`drop index if exists "IDX_amazon_listing_confirm_due_at";`);
    this.addSql(`alter table if exists "amazon_listing" drop column if exists "amazon_quantity", drop column if exists "amazon_quantity_at", drop column if exists "amazon_quantity_source", drop column if exists "confirm_status", drop column if exists "confirm_due_at", drop column if exists "confirm_attempts", drop column if exists "confirm_repushed_at";`);
  }

}
