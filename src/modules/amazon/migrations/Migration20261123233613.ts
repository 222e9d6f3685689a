import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123233613 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "amazon_fba_stock" add column if not exists "issue" text null;`);

    this.addSql(`alter table if exists "amazon_listing" add column if not exists "pending_feed_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "amazon_fba_stock" drop column if exists "issue";`);

    this.addSql(`alter table if exists "amazon_listing" drop column if exists "pending_feed_id";`);
  }

}
