import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { peekOrderResources } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

/** What the admin needs to act on an order in "needs attention" without leaving the row. */
export interface AttentionDetails {
  /** Amazon's latest ship-by time (payload fulfillment.shipByWindow.latestDateTime); null when unknown. */
  ship_by: string | null
  /** When the buyer placed it (payload createdTime); null when unknown. */
  placed_at: string | null
  /** The order's seller SKUs, each with its listing (if imported) and whether a variant is linked. */
  skus: { seller_sku: string; listing_id: string | null; linked: boolean }[]
}

function isoOrNull(t: unknown): string | null {
  return typeof t === "string" && Number.isFinite(Date.parse(t)) ? new Date(t).toISOString() : null
}

function shipBy(payload: unknown): string | null {
  return isoOrNull((payload as { fulfillment?: { shipByWindow?: { latestDateTime?: unknown } } } | null)?.fulfillment?.shipByWindow?.latestDateTime)
}

/**
 * Ship-by times and SKU → listing links for orders in "needs attention", read from their kept payloads
 * (which never leave the server: only the ship-by time and the SKUs do). Two queries whatever the count.
 */
export async function loadAttentionDetails(
  container: MedusaContainer,
  orders: { id: string; account_id: string }[]
): Promise<Map<string, AttentionDetails>> {
  const out = new Map<string, AttentionDetails>()
  if (!orders.length) return out
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const rows = await amazon.listAmazonOrders({ id: orders.map((o) => o.id) }, { select: ["id", "account_id", "marketplace_id", "payload"] })
  const skusOf = new Map(rows.map((r) => [r.id, peekOrderResources(r.payload).skus]))
  const allSkus = [...new Set([...skusOf.values()].flat())]
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = allSkus.length
    ? await query.graph({
        entity: "amazon_listing",
        fields: ["id", "account_id", "marketplace_id", "seller_sku", "fulfillment_channel", "product_variant.id"],
        filters: { account_id: [...new Set(rows.map((r) => r.account_id))], seller_sku: allSkus } as Record<string, unknown>,
      })
    : { data: [] as unknown[] }
  const listings = data as { id: string; account_id: string; marketplace_id: string; seller_sku: string; fulfillment_channel: string; product_variant?: { id?: string } | null }[]
  for (const r of rows) {
    const skus = (skusOf.get(r.id) ?? []).map((sku) => {
      const candidates = listings.filter((l) => l.account_id === r.account_id && l.seller_sku === sku)
      // the order's own marketplace first, merchant-fulfilled before FBA
      const l =
        candidates.find((c) => c.marketplace_id === r.marketplace_id && c.fulfillment_channel === "MERCHANT") ??
        candidates.find((c) => c.marketplace_id === r.marketplace_id) ??
        candidates[0]
      return { seller_sku: sku, listing_id: l?.id ?? null, linked: !!l?.product_variant?.id }
    })
    out.set(r.id, { ship_by: shipBy(r.payload), placed_at: isoOrNull((r.payload as { createdTime?: unknown } | null)?.createdTime), skus })
  }
  return out
}
