import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123231059 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "amazon_sync_cursor" drop constraint if exists "amazon_sync_cursor_account_id_stream_scope_unique";`);
    this.addSql(`alter table if exists "amazon_listing" drop constraint if exists "amazon_listing_account_id_marketplace_id_seller_sku_fulfillment_channel_unique";`);
    this.addSql(`alter table if exists "amazon_account" drop constraint if exists "amazon_account_seller_id_region_unique";`);
    this.addSql(`create table if not exists "amazon_account" ("id" text not null, "name" text not null, "region" text check ("region" in ('NA', 'EU', 'FE')) not null, "seller_id" text not null, "marketplace_ids" jsonb not null, "lwa_client_id" text not null, "lwa_client_secret_encrypted" text not null, "refresh_token_encrypted" text not null, "sp_api_base_url" text null, "lwa_token_url" text null, "enabled" boolean not null default true, "authorized_at" timestamptz null, "settings" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_account_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_account_deleted_at" ON "amazon_account" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_account_seller_id_region_unique" ON "amazon_account" ("seller_id", "region") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "amazon_listing" ("id" text not null, "marketplace_id" text not null, "seller_sku" text not null, "asin" text null, "product_type" text not null default 'PRODUCT', "fulfillment_channel" text check ("fulfillment_channel" in ('MERCHANT', 'AMAZON')) not null default 'MERCHANT', "rules" jsonb null, "account_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_listing_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_listing_account_id" ON "amazon_listing" ("account_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_listing_deleted_at" ON "amazon_listing" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_listing_account_id_marketplace_id_seller_sku_fulfillment_channel_unique" ON "amazon_listing" ("account_id", "marketplace_id", "seller_sku", "fulfillment_channel") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_listing_seller_sku" ON "amazon_listing" ("seller_sku") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "amazon_sync_cursor" ("id" text not null, "stream" text not null, "scope" text not null default '', "watermark" timestamptz null, "state" jsonb null, "last_run_at" timestamptz null, "last_success_at" timestamptz null, "last_error" text null, "account_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_sync_cursor_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_sync_cursor_account_id" ON "amazon_sync_cursor" ("account_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_sync_cursor_deleted_at" ON "amazon_sync_cursor" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_sync_cursor_account_id_stream_scope_unique" ON "amazon_sync_cursor" ("account_id", "stream", "scope") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "amazon_listing" add constraint "amazon_listing_account_id_foreign" foreign key ("account_id") references "amazon_account" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table if exists "amazon_sync_cursor" add constraint "amazon_sync_cursor_account_id_foreign" foreign key ("account_id") references "amazon_account" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "amazon_listing" drop constraint if exists "amazon_listing_account_id_foreign";`);

    this.addSql(`alter table if exists "amazon_sync_cursor" drop constraint if exists "amazon_sync_cursor_account_id_foreign";`);

    this.addSql(`drop table if exists "amazon_account" cascade;`);

    this.addSql(`drop table if exists "amazon_listing" cascade;`);

    this.addSql(`drop table if exists "amazon_sync_cursor" cascade;`);
  }

}
