import type AmazonModuleService from "../../../modules/amazon/service"
import { listingsOfVariants, Sql, variantsOfMerchantListings } from "../../shared/medusa-tables"

export interface LinkedMerchantListing {
  id: string
  seller_sku: string
  rules: unknown
  variant_id: string
}

/**
 * The account's live merchant-fulfilled listings linked (live link) to a variant, with the variant id:
 * the listings whose Amazon quantity the account's settings decide. Two selects per 10,000 variants
 * (the stock push's own queries), so a large catalogue costs what a reconcile's lookup costs.
 */
export async function linkedMerchantListings(sql: Sql, accountId: string): Promise<LinkedMerchantListing[]> {
  const { variant_ids } = await variantsOfMerchantListings(sql, [accountId])
  if (!variant_ids.length) {
    return []
  }
  // a variant may also be sold by other accounts' listings: keep this account's merchant ones
  const rows = await listingsOfVariants<{ id: string; seller_sku: string; rules: unknown; account_id: string; fulfillment_channel: string }>(
    sql,
    variant_ids,
    ["id", "seller_sku", "rules", "account_id", "fulfillment_channel"]
  )
  return rows
    .filter((r) => r.account_id === accountId && r.fulfillment_channel === "MERCHANT")
    .map((r) => ({ id: r.id, seller_sku: r.seller_sku, rules: r.rules, variant_id: r.variant_id }))
    // by SKU, so messages that name some of them name the same ones every time
    .sort((a, b) => (a.seller_sku < b.seller_sku ? -1 : a.seller_sku > b.seller_sku ? 1 : 0))
}

/**
 * The plugin's FBA stock locations, of every account (enabled or not), with a label for messages
 * ("Main DE (A1PA6795UKMFR9)"). The stock push never counts any of them as merchant stock.
 */
export async function fbaLocationsOfAllAccounts(amazon: AmazonModuleService): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const account of await amazon.listAmazonAccounts({}, { take: 1000, select: ["id", "name", "settings"] })) {
    const ids = (account.settings as { fba_location_ids?: Record<string, unknown> } | null)?.fba_location_ids ?? {}
    for (const [marketplace, id] of Object.entries(ids)) {
      if (typeof id === "string") out.set(id, `${account.name} (${marketplace})`)
    }
  }
  return out
}
