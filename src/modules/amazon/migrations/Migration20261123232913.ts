import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123232913 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "amazon_stock_outbox" drop constraint if exists "amazon_stock_outbox_variant_id_unique";`);
    this.addSql(`alter table if exists "amazon_order" drop constraint if exists "amazon_order_amazon_order_id_unique";`);
    this.addSql(`alter table if exists "amazon_feed_message" drop constraint if exists "amazon_feed_message_feed_id_message_id_unique";`);
    this.addSql(`alter table if exists "amazon_fba_stock" drop constraint if exists "amazon_fba_stock_account_id_marketplace_id_seller_sku_unique";`);
    this.addSql(`create table if not exists "amazon_fba_stock" ("id" text not null, "marketplace_id" text not null, "seller_sku" text not null, "asin" text null, "fn_sku" text null, "fulfillable" integer null, "inbound_working" integer null, "inbound_shipped" integer null, "inbound_receiving" integer null, "reserved" integer null, "unfulfillable" integer null, "researching" integer null, "total" integer null, "amazon_updated_at" timestamptz null, "synced_at" timestamptz not null, "listing_id" text null, "account_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_fba_stock_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_fba_stock_account_id" ON "amazon_fba_stock" ("account_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_fba_stock_deleted_at" ON "amazon_fba_stock" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_fba_stock_account_id_marketplace_id_seller_sku_unique" ON "amazon_fba_stock" ("account_id", "marketplace_id", "seller_sku") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "amazon_feed" ("id" text not null, "marketplace_id" text not null, "feed_type" text not null default 'JSON_LISTINGS_FEED', "purpose" text check ("purpose" in ('push', 'reconcile')) not null default 'push', "status" text check ("status" in ('building', 'uploaded', 'submitted', 'IN_QUEUE', 'IN_PROGRESS', 'DONE', 'FATAL', 'CANCELLED', 'processed', 'failed')) not null default 'building', "amazon_feed_id" text null, "feed_document_id" text null, "result_document_id" text null, "message_count" integer not null default 0, "accepted_count" integer null, "error_count" integer null, "submitted_at" timestamptz null, "completed_at" timestamptz null, "last_polled_at" timestamptz null, "stuck" boolean not null default false, "summary" jsonb null, "error" text null, "account_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_feed_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_feed_account_id" ON "amazon_feed" ("account_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_feed_deleted_at" ON "amazon_feed" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_feed_status" ON "amazon_feed" ("status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_feed_amazon_feed_id" ON "amazon_feed" ("amazon_feed_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "amazon_feed_message" ("id" text not null, "message_id" integer not null, "listing_id" text not null, "seller_sku" text not null, "quantity" integer not null, "status" text check ("status" in ('pending', 'accepted', 'error', 'warning', 'unconfirmed')) not null default 'pending', "issues" jsonb null, "processed_at" timestamptz null, "feed_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_feed_message_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_feed_message_feed_id" ON "amazon_feed_message" ("feed_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_feed_message_deleted_at" ON "amazon_feed_message" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_feed_message_feed_id_message_id_unique" ON "amazon_feed_message" ("feed_id", "message_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_feed_message_listing_id" ON "amazon_feed_message" ("listing_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "amazon_order" ("id" text not null, "amazon_order_id" text not null, "marketplace_id" text not null, "status" text not null, "fulfillment_channel" text check ("fulfillment_channel" in ('MERCHANT', 'AMAZON')) not null, "amazon_created_at" timestamptz null, "amazon_updated_at" timestamptz not null, "import_status" text check ("import_status" in ('pending', 'imported', 'needs_attention')) not null default 'pending', "attention_reason" text null, "attention_code" text null, "order_id" text null, "applied" jsonb null, "payload" jsonb null, "attempts" integer not null default 0, "account_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_order_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_order_account_id" ON "amazon_order" ("account_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_order_deleted_at" ON "amazon_order" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_order_amazon_order_id_unique" ON "amazon_order" ("amazon_order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_order_import_status" ON "amazon_order" ("import_status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_order_order_id" ON "amazon_order" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "amazon_stock_outbox" ("id" text not null, "variant_id" text not null, "reason" text not null, "event_count" integer not null default 1, "version" integer not null default 1, "first_enqueued_at" timestamptz not null, "last_enqueued_at" timestamptz not null, "urgent" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_stock_outbox_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_stock_outbox_deleted_at" ON "amazon_stock_outbox" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_stock_outbox_variant_id_unique" ON "amazon_stock_outbox" ("variant_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_stock_outbox_last_enqueued_at" ON "amazon_stock_outbox" ("last_enqueued_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "amazon_sync_log" ("id" text not null, "account_id" text null, "stream" text not null, "level" text check ("level" in ('info', 'warn', 'error')) not null default 'error', "code" text null, "message" text not null, "context" jsonb null, "resolved_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_sync_log_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_sync_log_deleted_at" ON "amazon_sync_log" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_sync_log_stream_created_at" ON "amazon_sync_log" ("stream", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_sync_log_account_id" ON "amazon_sync_log" ("account_id") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "amazon_fba_stock" add constraint "amazon_fba_stock_account_id_foreign" foreign key ("account_id") references "amazon_account" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table if exists "amazon_feed" add constraint "amazon_feed_account_id_foreign" foreign key ("account_id") references "amazon_account" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table if exists "amazon_feed_message" add constraint "amazon_feed_message_feed_id_foreign" foreign key ("feed_id") references "amazon_feed" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table if exists "amazon_order" add constraint "amazon_order_account_id_foreign" foreign key ("account_id") references "amazon_account" ("id") on update cascade;`);

    this.addSql(`alter table if exists "amazon_listing" add column if not exists "last_accepted_quantity" integer null, add column if not exists "last_accepted_at" timestamptz null, add column if not exists "last_sent_quantity" integer null, add column if not exists "last_sent_at" timestamptz null, add column if not exists "push_status" text check ("push_status" in ('idle', 'pending', 'accepted', 'error')) not null default 'idle', add column if not exists "last_error_code" text null, add column if not exists "last_error" text null, add column if not exists "retry_count" integer not null default 0, add column if not exists "next_retry_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "amazon_feed_message" drop constraint if exists "amazon_feed_message_feed_id_foreign";`);

    this.addSql(`drop table if exists "amazon_fba_stock" cascade;`);

    this.addSql(`drop table if exists "amazon_feed" cascade;`);

    this.addSql(`drop table if exists "amazon_feed_message" cascade;`);

    this.addSql(`drop table if exists "amazon_order" cascade;`);

    this.addSql(`drop table if exists "amazon_stock_outbox" cascade;`);

    this.addSql(`drop table if exists "amazon_sync_log" cascade;`);

    this.addSql(`alter table if exists "amazon_listing" drop column if exists "last_accepted_quantity", drop column if exists "last_accepted_at", drop column if exists "last_sent_quantity", drop column if exists "last_sent_at", drop column if exists "push_status", drop column if exists "last_error_code", drop column if exists "last_error", drop column if exists "retry_count", drop column if exists "next_retry_at";`);
  }

}
