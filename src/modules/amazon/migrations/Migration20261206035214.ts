import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261206035214 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "amazon_mcf_order" drop constraint if exists "amazon_mcf_order_fulfillment_id_unique";`);
    this.addSql(`alter table if exists "amazon_mcf_order" drop constraint if exists "amazon_mcf_order_mcf_order_id_unique";`);
    this.addSql(`create table if not exists "amazon_mcf_order" ("id" text not null, "account_id" text not null, "marketplace_id" text not null, "mcf_order_id" text not null, "fulfillment_id" text not null, "order_id" text not null, "status" text check ("status" in ('requested', 'processing', 'held', 'complete', 'complete_partial', 'cancelled', 'unfulfillable', 'invalid', 'refused')) not null default 'requested', "amazon_status" text null, "action" text check ("action" in ('SHIP', 'HOLD')) not null default 'SHIP', "policy" text not null, "service_tier" text not null, "lines" jsonb not null, "packages" jsonb null, "shipped_at" timestamptz null, "delivered_at" timestamptz null, "cancelled_at" timestamptz null, "cancelled_by" text null, "last_error" text null, "last_checked_at" timestamptz null, "calls" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_mcf_order_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_mcf_order_deleted_at" ON "amazon_mcf_order" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_mcf_order_mcf_order_id_unique" ON "amazon_mcf_order" ("mcf_order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_mcf_order_fulfillment_id_unique" ON "amazon_mcf_order" ("fulfillment_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_mcf_order_status" ON "amazon_mcf_order" ("status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_mcf_order_order_id" ON "amazon_mcf_order" ("order_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "amazon_mcf_order" cascade;`);
  }

}
