import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { peekOrderResources } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { runApplyAmazonOrder } from "../utils/run-apply-amazon-order"

/** Orders looked at per run: the oldest first, so a large backlog drains over a few runs. */
export const RETRY_LINKED_ORDERS_LIMIT = 100

export interface RetryLinkedOrdersSummary {
  /** Orders waiting on an unknown SKU that were looked at. */
  checked: number
  /** Of those, the ones whose every SKU is linked now, applied again. */
  retried: number
  /** Of those, the ones that are now imported (or pending: Amazon has not taken the payment yet). */
  applied: number
}

/**
 * Retries, by itself, every order of the account that waits in "needs attention" because one of its seller
 * SKUs had no Medusa variant (UNKNOWN_SKU), as soon as all its SKUs are linked — whether the link came from
 * the listings page, auto-link, a listings import or the API. On a fresh install the order import runs
 * before the merchant has linked anything, so without this the first orders would stay there until someone
 * pressed Retry on each.
 *
 * Runs at the start of every order-import run of the account (from the stream's runner, outside any
 * workflow: each order is applied in its own applyAmazonOrderWorkflow transaction, exactly as the admin's
 * Retry does, with the per-order lock and every exactly-once guarantee). Makes no Amazon call: the order
 * is applied from the payload kept on its record. One query for the waiting orders, one for the links.
 *
 * @example
 * const { retried } = await retryAmazonOrdersWithLinkedSkus(container, "amzacc_01…")
 */
export async function retryAmazonOrdersWithLinkedSkus(
  container: MedusaContainer,
  accountId: string,
  limit = RETRY_LINKED_ORDERS_LIMIT
): Promise<RetryLinkedOrdersSummary> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const waiting = await amazon.listAmazonOrders(
    { account_id: accountId, import_status: "needs_attention", attention_code: "UNKNOWN_SKU" },
    { select: ["id", "amazon_order_id", "marketplace_id", "payload"], take: limit, order: { amazon_updated_at: "ASC" } }
  )
  const summary: RetryLinkedOrdersSummary = { checked: waiting.length, retried: 0, applied: 0 }
  if (!waiting.length) {
    return summary
  }
  const skusOf = new Map(waiting.map((w) => [w.id, peekOrderResources(w.payload).skus]))
  const skus = [...new Set([...skusOf.values()].flat())]
  if (!skus.length) {
    return summary
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "amazon_listing",
    fields: ["seller_sku", "product_variant.id"],
    filters: { account_id: accountId, seller_sku: skus } as Record<string, unknown>,
  })
  const linked = new Set(
    (data as { seller_sku: string; product_variant?: { id?: string } | null }[]).filter((l) => l.product_variant?.id).map((l) => l.seller_sku)
  )
  for (const record of waiting) {
    const orderSkus = skusOf.get(record.id) ?? []
    if (!orderSkus.length || !orderSkus.every((sku) => linked.has(sku))) {
      continue
    }
    summary.retried++
    const result = await runApplyAmazonOrder(container, {
      account_id: accountId,
      marketplace_id: record.marketplace_id,
      order: record.payload,
      force: true,
    })
    if (result.outcome === "imported" || result.outcome === "pending") {
      summary.applied++
    }
  }
  return summary
}
