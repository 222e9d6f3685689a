/**
 * Bulk seeding for the benchmark: a store catalogue written with a few INSERT … SELECT generate_series
 * statements (products, variants, inventory items and levels, the variant ↔ inventory item link, our
 * listings and the listing ↔ variant link), the matching Amazon seller and listings in a simulator, and
 * an Amazon account pointed at that simulator. Seeding is not what the benchmark measures, so it skips
 * Medusa's workflows (100,000 SKUs through createProductsWorkflow would take an hour on this machine).
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import type { SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import type { AccountSettings } from "../../src/types/account-settings"

export const DE = "A1PA6795UKMFR9"

export interface BenchSeller {
  sellerId: string
  clientId: string
  clientSecret: string
  refreshToken: string
}

/** A seller on the simulator and the Medusa Amazon account that points at it. */
export async function createBenchAccount(
  container: MedusaContainer,
  // the in-process simulator, or one in another process whose control calls go over HTTP (async)
  sim: { url: string; control: { seedSeller(seed: Parameters<SimulatorHandle["control"]["seedSeller"]>[0]): unknown } },
  tag: string,
  settings: AccountSettings
): Promise<{ accountId: string; seller: BenchSeller }> {
  const id = tag.toUpperCase().replace(/[^A-Z0-9]/g, "")
  const seller: BenchSeller = {
    sellerId: `A1BENCH${id}`,
    clientId: `amzn1.application-oa2-client.bench${id.toLowerCase()}`,
    clientSecret: `bench-secret-${id}`,
    refreshToken: `Atzr|bench-${id}`,
  }
  await sim.control.seedSeller({ ...seller, marketplaceIds: [DE] })
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [account] = await amazon.createAccounts([
    {
      name: `Bench ${tag}`,
      region: "EU",
      seller_id: seller.sellerId,
      marketplace_ids: [DE],
      lwa_client_id: seller.clientId,
      lwa_client_secret: seller.clientSecret,
      refresh_token: seller.refreshToken,
      sp_api_base_url: sim.url,
      lwa_token_url: `${sim.url}/auth/o2/token`,
      settings: settings as Record<string, unknown>,
    },
  ])
  return { accountId: account.id, seller }
}

export interface CatalogOptions {
  /** Short unique tag: ids, SKUs and handles are derived from it. */
  tag: string
  count: number
  accountId: string
  sellerId: string
  locationId: string
  /** Stocked quantity of SKU i (0-based); default 100 + (i % 50). */
  stockOf?: (i: number) => number
  /**
   * When true, our listing rows say Amazon already accepted the store's quantity (a catalogue in steady
   * state, so only real changes go out). When false, nothing was ever sent (a first full sync).
   */
  inSync: boolean
  /** Variants per product. Default 10. */
  variantsPerProduct?: number
  /** Also seed the listings in the simulator (with the store's quantity when inSync). Default true. */
  seedSimulator?: boolean
  /** Needed unless seedSimulator is false. */
  sim?: SimulatorHandle
}

export interface CatalogSku {
  sku: string
  variantId: string
  inventoryItemId: string
  levelId: string
  listingId: string
  stock: number
}

function pad(i: number) {
  return String(i).padStart(6, "0")
}

export function catalogSku(tag: string, i: number): CatalogSku {
  const p = pad(i)
  return {
    sku: `BENCH-${tag}-${p}`,
    variantId: `variant_bench_${tag}_${p}`,
    inventoryItemId: `iitem_bench_${tag}_${p}`,
    levelId: `ilev_bench_${tag}_${p}`,
    listingId: `amzlst_bench_${tag}_${p}`,
    stock: 0,
  }
}

/** Seeds `count` mapped, merchant-fulfilled SKUs with stock at one location. Returns them in order. */
export async function seedCatalog(container: MedusaContainer, o: CatalogOptions): Promise<CatalogSku[]> {
  const knex = container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
  const per = o.variantsPerProduct ?? 10
  const stockOf = o.stockOf ?? ((i: number) => 100 + (i % 50))
  const t = o.tag
  // The stock of SKU i is computed in SQL too, from the same formula when the default is used; a custom
  // formula is passed as an array.
  const stocks = Array.from({ length: o.count }, (_, i) => stockOf(i))
  // a text literal: knex would expand a JS array binding into a list of placeholders
  const pgIntArray = `{${stocks.join(",")}}`
  const ser = `generate_series(0, ${o.count - 1}) as g(i)`
  const p = `lpad(i::text, 6, '0')`
  await knex.transaction(async (trx) => {
    await trx.raw(
      `insert into product (id, title, handle, status, created_at, updated_at)
       select 'prod_bench_${t}_' || lpad(i::text, 6, '0'), 'Bench ${t} ' || i, 'bench-${t.toLowerCase()}-' || i, 'published', now(), now()
       from generate_series(0, ${Math.ceil(o.count / per) - 1}) as g(i)`
    )
    await trx.raw(
      `insert into product_variant (id, title, sku, product_id, manage_inventory, allow_backorder, created_at, updated_at)
       select 'variant_bench_${t}_' || ${p}, 'V ' || i, 'BENCH-${t}-' || ${p}, 'prod_bench_${t}_' || lpad((i / ${per})::text, 6, '0'), true, false, now(), now()
       from ${ser}`
    )
    await trx.raw(
      `insert into inventory_item (id, sku, title, requires_shipping, created_at, updated_at)
       select 'iitem_bench_${t}_' || ${p}, 'BENCH-${t}-' || ${p}, 'BENCH-${t}-' || ${p}, true, now(), now() from ${ser}`
    )
    await trx.raw(
      `insert into product_variant_inventory_item (variant_id, inventory_item_id, id, required_quantity, created_at, updated_at)
       select 'variant_bench_${t}_' || ${p}, 'iitem_bench_${t}_' || ${p}, 'pvitem_bench_${t}_' || ${p}, 1, now(), now() from ${ser}`
    )
    await trx.raw(
      `insert into inventory_level (id, inventory_item_id, location_id, stocked_quantity, reserved_quantity, incoming_quantity,
                                    raw_stocked_quantity, raw_reserved_quantity, raw_incoming_quantity, created_at, updated_at)
       select 'ilev_bench_${t}_' || ${p}, 'iitem_bench_${t}_' || ${p}, ?, s.q, 0, 0,
              jsonb_build_object('value', s.q::text, 'precision', 20), '{"value":"0","precision":20}', '{"value":"0","precision":20}', now(), now()
       from (select q, (n - 1)::int as i from unnest(?::int[]) with ordinality as u(q, n)) s`,
      [o.locationId, pgIntArray]
    )
    await trx.raw(
      `insert into amazon_listing (id, marketplace_id, seller_sku, product_type, fulfillment_channel, account_id, push_status, retry_count,
                                   last_accepted_quantity, last_accepted_at, last_sent_quantity, last_sent_at, created_at, updated_at)
       select 'amzlst_bench_${t}_' || ${p}, ?, 'BENCH-${t}-' || ${p}, 'PRODUCT', 'MERCHANT', ?, ${o.inSync ? "'accepted'" : "'idle'"}, 0,
              ${o.inSync ? "s.q" : "null"}, ${o.inSync ? "now()" : "null"}, ${o.inSync ? "s.q" : "null"}, ${o.inSync ? "now()" : "null"}, now(), now()
       from (select q, (n - 1)::int as i from unnest(?::int[]) with ordinality as u(q, n)) s`,
      [DE, o.accountId, pgIntArray]
    )
    await trx.raw(
      `insert into amazon_amazon_listing_product_product_variant (amazon_listing_id, product_variant_id, id, created_at, updated_at)
       select 'amzlst_bench_${t}_' || ${p}, 'variant_bench_${t}_' || ${p}, 'link_bench_${t}_' || ${p}, now(), now() from ${ser}`
    )
  })
  await knex.raw("analyze product_variant, inventory_item, inventory_level, product_variant_inventory_item, amazon_listing, amazon_amazon_listing_product_product_variant")

  const skus = stocks.map((stock, i) => ({ ...catalogSku(t, i), stock }))
  if (o.seedSimulator !== false) {
    if (!o.sim) throw new Error("seedCatalog: seedSimulator needs a simulator")
    o.sim.control.seedListings(
      skus.map((s) => ({ sellerId: o.sellerId, sku: s.sku, quantity: o.inSync ? s.stock : 0, productType: "PRODUCT" }))
    )
  }
  return skus
}
