import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { runApplyAmazonOrder, type RunApplyAmazonOrderResult } from "../utils/run-apply-amazon-order"

export interface RetryAmazonOrderImportInput {
  /** Our amazon_order record id (amzord_…), e.g. of an order that needs attention. */
  id: string
}

/**
 * Imports an Amazon order again from the payload we kept, typically after the admin mapped its unknown
 * SKU or published its product. The version is applied even though it was seen before; everything else
 * is the normal import (applyAmazonOrderWorkflow in its own transaction, with the per-order lock: an order
 * that already has its Medusa order is not created twice, stock already moved is not moved again, and an
 * unexpected failure becomes a "needs attention" record instead of an exception). Makes no Amazon call.
 *
 * An orchestrator, not a workflow: the apply workflow must run as its own transaction whatever happens
 * around it, which `runAsStep` inside another workflow cannot give (see runApplyAmazonOrder).
 *
 * Throws NOT_FOUND for an unknown record and NOT_ALLOWED for one without an account or a kept payload.
 *
 * @example
 * const result = await retryAmazonOrderImport(container, { id: "amzord_01…" })
 * // result.outcome: "imported" | "pending" | "needs_attention" | "failed" | "skipped"
 */
export async function retryAmazonOrderImport(
  container: MedusaContainer,
  input: RetryAmazonOrderImportInput
): Promise<RunApplyAmazonOrderResult> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [row] = await amazon.listAmazonOrders({ id: input.id }, { select: ["id", "account_id", "marketplace_id", "amazon_order_id", "payload"], take: 1 })
  if (!row) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon order record ${input.id} was not found`)
  }
  const accountId = (row as { account_id?: string | null }).account_id
  if (!accountId || !row.payload) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Amazon order ${row.amazon_order_id} cannot be retried: ${!accountId ? "it belongs to no account" : "no payload was kept"}`
    )
  }
  return runApplyAmazonOrder(container, { account_id: accountId, marketplace_id: row.marketplace_id, order: row.payload, force: true })
}

/**
 * Applies an Amazon order's current version to its Medusa order again after staff edited that order
 * (`order-edit.confirmed`). Medusa's confirmOrderEditRequestWorkflow deletes the reservations of every line
 * item the edit changed and reserves again only where the order's sales channel has a stock location, so
 * the units Amazon still expects would otherwise stay unreserved (on sale twice) until Amazon's next
 * change. The import's plan holds what the edited lines keep, adopts a reservation Medusa made instead of
 * ours, and never reserves units the edit removed. Nothing for orders that are not imported Amazon orders.
 * Makes no Amazon call.
 *
 * @example
 * await reapplyAmazonOrderAfterEdit(container, { order_id: "order_…" })
 */
export async function reapplyAmazonOrderAfterEdit(
  container: MedusaContainer,
  input: { order_id: string }
): Promise<RunApplyAmazonOrderResult | null> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [row] = await amazon.listAmazonOrders({ order_id: input.order_id, import_status: "imported" }, { select: ["id"], take: 1 })
  return row ? retryAmazonOrderImport(container, { id: row.id }) : null
}
