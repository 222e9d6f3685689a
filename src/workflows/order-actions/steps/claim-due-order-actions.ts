import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { Sql } from "../../shared/medusa-tables"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import { ABANDONED_AFTER_MS, CALLS_PER_RUN, FEED_ROWS_PER_RUN } from "../constants"
import { claimDue, countDueFresh, type OrderActionRow, requeueAbandoned } from "../utils/action-queries"

export const claimDueOrderActionsStepId = "amazon-claim-due-order-actions"

export interface ClaimDueOrderActionsStepInput {
  lock: AmazonLock
  account_id: string
  /** Defaults to now. */
  now?: string
  /** Shipment calls per run (default CALLS_PER_RUN); more fresh confirmations than this go out as a feed. */
  calls_per_run?: number
}

export interface ClaimDueOrderActionsStepOutput {
  /** Shipment confirmations sent one by one with confirmShipment. */
  calls: OrderActionRow[]
  /** A backlog of never-sent shipment confirmations: one POST_ORDER_FULFILLMENT_DATA feed per marketplace. */
  feed_shipments: OrderActionRow[]
  /** Cancellations: one POST_ORDER_ACKNOWLEDGEMENT_DATA feed per marketplace. */
  feed_cancels: OrderActionRow[]
  /** Rows a dead run had left `sending`, put back in the queue first. */
  requeued: number
}

/**
 * Takes the account's due rows off the queue (status → sending, attempt counted) and says how each goes
 * out. Shipment confirmations go by confirmShipment (synchronous, Amazon's better errors) while they fit a
 * minute of its quota; a larger backlog of never-sent ones goes in a feed. Rows already tried always go by
 * call: their send first re-reads Amazon's state, which a feed cannot do. Cancellations always go by feed
 * (there is no cancel call for merchant orders).
 *
 * Compensation: rows of this claim that are still `sending` without a feed go back to the queue (their
 * next send re-reads Amazon first, so one whose call did go out is not confirmed twice).
 *
 * @example
 * const claimed = claimDueOrderActionsStep({ lock, account_id })
 */
export const claimDueOrderActionsStep = createStep(
  claimDueOrderActionsStepId,
  async (input: ClaimDueOrderActionsStepInput, { container }) => {
    const empty: ClaimDueOrderActionsStepOutput = { calls: [], feed_shipments: [], feed_cancels: [], requeued: 0 }
    if (!input.lock.acquired) {
      return new StepResponse(empty, [] as string[])
    }
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    const now = input.now ? new Date(input.now) : new Date()
    const perRun = input.calls_per_run ?? CALLS_PER_RUN
    const account_id = input.account_id

    const requeued = await requeueAbandoned(sql, account_id, new Date(now.getTime() - ABANDONED_AFTER_MS))
    const retried = await claimDue(sql, { account_id, kind: "confirm_shipment", channel: "call", now, limit: perRun, fresh: false })
    const fresh = await countDueFresh(sql, account_id, "confirm_shipment", now)
    const room = perRun - retried.length
    const backlog = fresh > room
    const calls = backlog
      ? retried
      : retried.concat(await claimDue(sql, { account_id, kind: "confirm_shipment", channel: "call", now, limit: room, fresh: true }))
    const feed_shipments = backlog
      ? await claimDue(sql, { account_id, kind: "confirm_shipment", channel: "feed", now, limit: FEED_ROWS_PER_RUN, fresh: true })
      : []
    const feed_cancels = await claimDue(sql, { account_id, kind: "cancel", channel: "feed", now, limit: FEED_ROWS_PER_RUN })

    const claimed = [...calls, ...feed_shipments, ...feed_cancels].map((r) => r.id)
    return new StepResponse<ClaimDueOrderActionsStepOutput, string[]>({ calls, feed_shipments, feed_cancels, requeued }, claimed)
  },
  async (claimed, { container }) => {
    if (!claimed?.length) {
      return
    }
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    await sql.raw(
      `update amazon_order_action set status = 'queued', updated_at = now()
        where id = any(array(select json_array_elements_text(?::json))) and status = 'sending' and feed_id is null`,
      [JSON.stringify(claimed)]
    )
  }
)
