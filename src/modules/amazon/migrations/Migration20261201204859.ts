import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201204859 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "amazon_stock_event" ("id" text not null, "name" text not null, "kind" text check ("kind" in ('order', 'reservation', 'inventory_level', 'inventory_item', 'variant')) not null, "ref_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_stock_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_stock_event_deleted_at" ON "amazon_stock_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_stock_event_created_at" ON "amazon_stock_event" ("created_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "amazon_stock_event" cascade;`);
  }

}
