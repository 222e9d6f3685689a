import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { peekLastUpdatedTime, peekOrderId } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { applyAmazonOrderWorkflow } from "../apply-amazon-order"
import type { ApplyAmazonOrderWorkflowInput, ApplyAmazonOrderWorkflowOutput } from "../apply-amazon-order"
import { fileAmazonOrderAttention } from "./file-attention"

export type RunApplyAmazonOrderResult =
  | ApplyAmazonOrderWorkflowOutput
  | { amazon_order_id: string | null; outcome: "failed"; error: string; order_id: null; variant_ids: string[] }

/**
 * The transaction id of one application of an order version: the Amazon order id + lastUpdatedTime, so
 * the same version maps to the same workflow transaction; `attempt` (failures so far) separates another
 * try after an unexpected failure from a replay.
 */
export function applyTransactionId(order: unknown, attempt = 0, force = false): string {
  const base = `amazon-apply-order:${peekOrderId(order) ?? "unreadable"}:${peekLastUpdatedTime(order) ?? "unknown"}`
  // A retry the admin asks for is a new decision, never a replay of an earlier one.
  return force ? `${base}:retry-${Date.now()}` : attempt > 0 ? `${base}:attempt-${attempt}` : base
}

/** A failed workflow run rejects with (or reports) a plain object, not always an Error. */
export function errorMessage(e: unknown): string {
  const err = (e as { error?: unknown })?.error ?? e
  const message = (err as { message?: unknown })?.message
  return typeof message === "string" && message ? message : String(err)
}

/**
 * Runs applyAmazonOrderWorkflow for one order and turns an unexpected failure into a "needs attention"
 * record (IMPORT_FAILED, with the error and the payload) instead of an exception: one bad order must not
 * stop the page it came on, and the admin must see what failed. The workflow's compensations have already
 * undone its partial work when this records the failure.
 *
 * For orchestrators (importMarketplaceOrders), not for steps: each order is its own transaction on
 * purpose, applied completely or undone alone whatever comes next, and a failure becomes a record
 * instead of an error, neither of which runAsStep inside a calling workflow can give. The admin's retry
 * (orchestrators/retry-amazon-order.ts) calls it the same way.
 */
export async function runApplyAmazonOrder(
  container: MedusaContainer,
  input: ApplyAmazonOrderWorkflowInput,
  attempt = 0
): Promise<RunApplyAmazonOrderResult> {
  const transactionId = applyTransactionId(input.order, attempt, input.force)
  let failure: unknown
  try {
    const { result, errors } = await applyAmazonOrderWorkflow(container).run({ input, context: { transactionId }, throwOnError: false })
    if (!errors?.length) {
      return result
    }
    failure = errors[0]
  } catch (e) {
    failure = e
  }
  const message = errorMessage(failure)
  const amazonOrderId = peekOrderId(input.order)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  logger.warn(`amazon orders: importing ${amazonOrderId ?? "an order"} failed: ${message}`)
  const raw = input.order as { fulfillment?: { fulfillmentStatus?: unknown; fulfilledBy?: unknown } } | null
  await fileAmazonOrderAttention(container.resolve<AmazonModuleService>(AMAZON_MODULE), {
    account_id: input.account_id,
    marketplace_id: input.marketplace_id,
    amazon_order_id: amazonOrderId,
    code: "IMPORT_FAILED",
    reason: message,
    payload: input.order,
    last_updated_time: peekLastUpdatedTime(input.order),
    status: typeof raw?.fulfillment?.fulfillmentStatus === "string" ? raw.fulfillment.fulfillmentStatus : null,
    fulfilled_by: typeof raw?.fulfillment?.fulfilledBy === "string" ? raw.fulfillment.fulfilledBy : null,
  })
  return { amazon_order_id: amazonOrderId, outcome: "failed", error: message, order_id: null, variant_ids: [] }
}
