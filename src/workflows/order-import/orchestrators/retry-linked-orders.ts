import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { peekOrderResources } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { runApplyAmazonOrder } from "../utils/run-apply-amazon-order"

/** Orders applied again per run at most (oldest first): a large backlog drains over a few runs. */
export const RETRY_LINKED_ORDERS_LIMIT = 100

/** Waiting records read per query (ids and SKUs only; a payload is read when its order is retried). */
const WAITING_PAGE = 500

/** Seller SKUs per link query. */
const SKU_CHUNK = 1000

export interface RetryLinkedOrdersSummary {
  /** Orders waiting on an unknown SKU that were looked at (all of the account's). */
  checked: number
  /** Of those, the ones whose every SKU is linked now, applied again (at most the run's limit). */
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
 * Runs at the end of every order-import run of the account (importAmazonOrders, after the new orders and
 * any back-import; outside any workflow: each order is applied in its own applyAmazonOrderWorkflow
 * transaction, exactly as the admin's Retry does, with the per-order lock and every exactly-once
 * guarantee). Makes no Amazon call: the order is applied from the payload kept on its record. Every waiting
 * order is looked at (in pages, oldest first), so one that became ready is never hidden behind older ones
 * that still wait; at most `limit` are applied per run.
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
  const waiting: { id: string; marketplace_id: string; skus: string[] }[] = []
  for (let skip = 0; ; skip += WAITING_PAGE) {
    const page = await amazon.listAmazonOrders(
      { account_id: accountId, import_status: "needs_attention", attention_code: "UNKNOWN_SKU" },
      { select: ["id", "marketplace_id", "payload"], skip, take: WAITING_PAGE, order: { amazon_updated_at: "ASC", id: "ASC" } }
    )
    waiting.push(...page.map((w) => ({ id: w.id, marketplace_id: w.marketplace_id, skus: peekOrderResources(w.payload).skus })))
    if (page.length < WAITING_PAGE) break
  }
  const summary: RetryLinkedOrdersSummary = { checked: waiting.length, retried: 0, applied: 0 }
  const skus = [...new Set(waiting.flatMap((w) => w.skus))]
  if (!skus.length) {
    return summary
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const linked = new Set<string>()
  for (let i = 0; i < skus.length; i += SKU_CHUNK) {
    const { data } = await query.graph({
      entity: "amazon_listing",
      fields: ["seller_sku", "product_variant.id"],
      filters: { account_id: accountId, seller_sku: skus.slice(i, i + SKU_CHUNK) } as Record<string, unknown>,
    })
    for (const l of data as { seller_sku: string; product_variant?: { id?: string } | null }[]) {
      if (l.product_variant?.id) linked.add(l.seller_sku)
    }
  }
  const ready = waiting.filter((w) => w.skus.length && w.skus.every((sku) => linked.has(sku))).slice(0, limit)
  for (const record of ready) {
    const [row] = await amazon.listAmazonOrders({ id: record.id, import_status: "needs_attention" }, { select: ["id", "payload"], take: 1 })
    if (!row?.payload) {
      continue // retried meanwhile (the admin's Retry), or its payload is gone
    }
    summary.retried++
    const result = await runApplyAmazonOrder(container, {
      account_id: accountId,
      marketplace_id: record.marketplace_id,
      order: row.payload,
      force: true,
    })
    if (result.outcome === "imported" || result.outcome === "pending") {
      summary.applied++
    }
  }
  return summary
}
