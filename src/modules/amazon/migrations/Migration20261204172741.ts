import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261204172741 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "amazon_account" add column if not exists "sandbox" boolean not null default false;`);

    this.addSql(`alter table if exists "amazon_order" add column if not exists "buyer_data_removed_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "amazon_account" drop column if exists "sandbox";`);

    this.addSql(`alter table if exists "amazon_order" drop column if exists "buyer_data_removed_at";`);
  }

}
