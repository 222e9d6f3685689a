import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261204173647 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "amazon_order_action" drop constraint if exists "amazon_order_action_idempotency_key_unique";`);
    this.addSql(`create table if not exists "amazon_order_action" ("id" text not null, "account_id" text not null, "kind" text check ("kind" in ('confirm_shipment', 'cancel')) not null, "idempotency_key" text not null, "amazon_order_id" text not null, "amazon_order_record_id" text null, "marketplace_id" text not null, "order_id" text not null, "fulfillment_id" text null, "package_reference" text null, "payload" jsonb not null, "status" text check ("status" in ('queued', 'sending', 'done', 'failed')) not null default 'queued', "channel" text check ("channel" in ('call', 'feed')) null, "feed_id" text null, "message_id" integer null, "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "last_error_code" text null, "last_error" text null, "sent_at" timestamptz null, "done_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "amazon_order_action_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_order_action_deleted_at" ON "amazon_order_action" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_amazon_order_action_idempotency_key_unique" ON "amazon_order_action" ("idempotency_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_order_action_status_next_attempt_at" ON "amazon_order_action" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_order_action_order_id" ON "amazon_order_action" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_amazon_order_action_account_id_kind_status" ON "amazon_order_action" ("account_id", "kind", "status") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "amazon_order_action" cascade;`);
  }

}
