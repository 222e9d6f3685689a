import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261205112142 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "amazon_listing_patch" ("id" text not null, "account_id" text not null, "listing_id" text not null, "seller_sku" text not null, "marketplace_id" text not null, "quantity" integer not null, "status" text check ("status" in ('accepted', 'error')) not null, "code" text null, "message" text null, "submission_id" text null, "sent_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_listing_patch_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_listing_patch_deleted_at" ON "amazon_listing_patch" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_listing_patch_listing_id_sent_at" ON "amazon_listing_patch" ("listing_id", "sent_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_listing_patch_sent_at" ON "amazon_listing_patch" ("sent_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "amazon_listing" add column if not exists "item_name" text null;`);

    this.addSql(`alter table if exists "amazon_sync_log" add column if not exists "subject_id" text null, add column if not exists "resolved_by" text null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_sync_log_subject_id" ON "amazon_sync_log" ("subject_id") WHERE resolved_at IS NULL AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "amazon_listing_patch" cascade;`);

    this.addSql(`alter table if exists "amazon_listing" drop column if exists "item_name";`);

    this.addSql(`drop index if exists "IDX_amazon_sync_log_subject_id";`);
    this.addSql(`alter table if exists "amazon_sync_log" drop column if exists "subject_id", drop column if exists "resolved_by";`);
  }

}
