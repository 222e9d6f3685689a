import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"
import type { Sql } from "../shared/medusa-tables"
import { ORDER_ACTIONS_STREAM } from "./constants"
import { type SendAmazonOrderActionsSummary, sendAmazonOrderActionsWorkflow, type SendAmazonOrderActionsWorkflowInput } from "./send-amazon-order-actions"
import { recordAmazonCancelActionWorkflow } from "./record-amazon-cancel-action"
import { recordAmazonShipmentActionWorkflow } from "./record-amazon-shipment-action"
import { findUnrecordedOrderActions, findUnsentItemRemovals } from "../shared/medusa-tables"
import { reapplyAmazonOrderAfterEdit } from "../order-import/orchestrators/retry-amazon-order"
import { recordAmazonItemCancelActionWorkflow } from "./record-amazon-item-cancel-action"
import { accountsWithWork } from "./utils/action-queries"

/** How far back the sweep looks for store changes the subscriber missed, and how long it lets it work first. */
const SWEEP_LOOKBACK_MS = 7 * 24 * 3_600_000
const SWEEP_GRACE_MS = 2 * 60_000
const SWEEP_LIMIT = 200

export type OrderActionsRunOutcome =
  | { status: "done"; summary: SendAmazonOrderActionsSummary }
  | { status: "failed"; account_id: string; code: string; message: string }

/**
 * Records what the `shipment.created` / `order.canceled` / `order-edit.confirmed` subscriber missed (see
 * findUnrecordedOrderActions and findUnsentItemRemovals): the same
 * recording workflows, so the planner still decides, and the idempotency key keeps it to one row. Returns
 * how many were recorded.
 */
export async function recordMissedOrderActions(container: MedusaContainer, now = new Date()): Promise<number> {
  const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
  const missed = await findUnrecordedOrderActions(sql, { now, lookbackMs: SWEEP_LOOKBACK_MS, graceMs: SWEEP_GRACE_MS, limit: SWEEP_LIMIT })
  let recorded = 0
  for (const fulfillment_id of missed.fulfillment_ids) {
    const { result } = await recordAmazonShipmentActionWorkflow(container).run({ input: { fulfillment_id }, throwOnError: false })
    if ((result as { created?: boolean } | undefined)?.created) recorded++
  }
  for (const order_id of missed.order_ids) {
    const { result } = await recordAmazonCancelActionWorkflow(container).run({ input: { order_id }, throwOnError: false })
    if ((result as { created?: boolean } | undefined)?.created) recorded++
  }
  const edited = await findUnsentItemRemovals(sql, { now, lookbackMs: SWEEP_LOOKBACK_MS, graceMs: SWEEP_GRACE_MS, limit: SWEEP_LIMIT })
  for (const order_id of edited) {
    const { result } = await recordAmazonItemCancelActionWorkflow(container).run({ input: { order_id }, throwOnError: false })
    if ((result as { created?: boolean } | undefined)?.created) recorded++
    // The subscriber's other half: the order's reservations after Medusa's edit (no Amazon call).
    await reapplyAmazonOrderAfterEdit(container, { order_id }).catch(() => undefined)
  }
  if (recorded) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`amazon ${ORDER_ACTIONS_STREAM}: recorded ${recorded} shipment(s)/cancellation(s) the event subscriber had missed`)
  }
  return recorded
}

/**
 * First records what the subscriber missed, then runs the send workflow for every enabled account that has order actions due or waiting for a feed, one
 * account after the other. A run that fails outright (not Amazon's answer, which the steps record, but e.g.
 * the database) is written to the sync log, so the admin sees it.
 */
export async function runAmazonOrderActions(
  container: MedusaContainer,
  options: Omit<SendAmazonOrderActionsWorkflowInput, "account_id"> & { account_ids?: string[] } = {}
): Promise<OrderActionsRunOutcome[]> {
  const { account_ids, ...input } = options
  const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    await recordMissedOrderActions(container, input.now ? new Date(input.now) : new Date())
  } catch (e) {
    // The sweep is a safety net; sending what is recorded must not wait for it.
    logger.error(`amazon ${ORDER_ACTIONS_STREAM}: could not look for missed shipments/cancellations: ${(e as Error)?.message ?? e}`)
  }
  const candidates = account_ids ?? (await accountsWithWork(sql, input.now ? new Date(input.now) : new Date()))
  if (!candidates.length) {
    return []
  }
  const enabled = await amazon.listAmazonAccounts({ id: candidates, enabled: true }, { select: ["id"] })
  const outcomes: OrderActionsRunOutcome[] = []
  for (const { id } of enabled) {
    const { result, errors } = await sendAmazonOrderActionsWorkflow(container).run({ input: { ...input, account_id: id }, throwOnError: false })
    if (!errors?.length) {
      outcomes.push({ status: "done", summary: result as SendAmazonOrderActionsSummary })
      continue
    }
    const error = (errors[0]?.error ?? {}) as { message?: string; code?: string; type?: string }
    const code = String(error.code ?? error.type ?? "ORDER_ACTIONS_FAILED")
    const message = String(error.message ?? "unknown error")
    outcomes.push({ status: "failed", account_id: id, code, message })
    logger.error(`amazon ${ORDER_ACTIONS_STREAM}: run failed account=${id}: ${message}`)
    await amazon
      .recordSyncLog({
        account_id: id,
        stream: ORDER_ACTIONS_STREAM,
        level: "error",
        code,
        message: `Sending shipment confirmations and cancellations to Amazon failed: ${message}. Nothing is lost: they are sent again by the next run.`,
      })
      .catch(() => undefined)
  }
  return outcomes
}
