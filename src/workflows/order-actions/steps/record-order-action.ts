import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { OrderActionPlan } from "../../../lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { ORDER_ACTIONS_STREAM } from "../constants"

export const recordOrderActionStepId = "amazon-record-order-action"

export interface RecordOrderActionStepInput {
  /** What the planner decided; null when there was nothing to plan (the fulfillment or order is gone). */
  plan: OrderActionPlan<unknown> | null
}

export interface RecordOrderActionStepOutput {
  action_id: string | null
  /** false when the row already existed (a repeated event) or nothing was recorded. */
  created: boolean
  status: string | null
  /** Why nothing was recorded (not an Amazon order, FBA, Amazon's own change…). */
  skipped: string | null
}

/**
 * Records an order action once per idempotency key (`ship:<fulfillment>`, `cancel:<order>`): a repeated
 * event, or the cancel route and the `order.canceled` subscriber both recording, find the existing row. A
 * row that fails at once (a shipped unit, a missing tracking number …) also goes to the sync log, where the
 * admin sees it with what to do. No Amazon call: the send job does that.
 *
 * Compensation deletes the row this step created (only that one).
 *
 * @example
 * recordOrderActionStep({ plan })
 */
export const recordOrderActionStep = createStep(
  recordOrderActionStepId,
  async (input: RecordOrderActionStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const none = (skipped: string | null): RecordOrderActionStepOutput => ({ action_id: null, created: false, status: null, skipped })
    const plan = input.plan
    if (!plan) {
      return new StepResponse(none("the fulfillment or order no longer exists"), null)
    }
    if (plan.kind === "skip") {
      logger.debug(`amazon ${ORDER_ACTIONS_STREAM}: nothing to send (${plan.reason})`)
      return new StepResponse(none(plan.reason), null)
    }
    if (plan.kind === "unrecordable") {
      await amazon.recordSyncLog({
        account_id: plan.account_id,
        stream: ORDER_ACTIONS_STREAM,
        level: "error",
        code: plan.code,
        message: plan.message,
        context: { amazon_order_id: plan.amazon_order_id },
      })
      return new StepResponse(none(plan.message), null)
    }

    const draft = plan.action
    const find = async () =>
      (await amazon.listAmazonOrderActions({ idempotency_key: draft.idempotency_key }, { select: ["id", "status"], take: 1 }))[0]
    const existing = await find()
    if (existing) {
      return new StepResponse<RecordOrderActionStepOutput, string | null>(
        { action_id: existing.id, created: false, status: existing.status, skipped: null },
        null
      )
    }
    let created: { id: string; status: string }
    try {
      created = await amazon.createAmazonOrderActions({
        ...draft,
        payload: draft.payload as Record<string, unknown>,
        done_at: null,
        next_attempt_at: null,
      })
    } catch (e) {
      // Recorded meanwhile by the other path (route and subscriber): the unique key kept it to one row.
      const raced = await find()
      if (!raced) throw e
      return new StepResponse<RecordOrderActionStepOutput, string | null>(
        { action_id: raced.id, created: false, status: raced.status, skipped: null },
        null
      )
    }
    const kindLabel = draft.kind === "cancel" ? "Cancellation" : `Shipment ${draft.fulfillment_id}`
    if (draft.status === "failed") {
      await amazon.recordSyncLog({
        account_id: draft.account_id,
        stream: ORDER_ACTIONS_STREAM,
        level: "error",
        code: draft.last_error_code,
        message: `${kindLabel} of Amazon order ${draft.amazon_order_id} was not sent to Amazon: ${draft.last_error}`,
        context: { order_id: draft.order_id, amazon_order_id: draft.amazon_order_id, action_id: created.id, kind: draft.kind },
      })
    } else {
      logger.info(
        `amazon ${ORDER_ACTIONS_STREAM}: queued ${draft.kind} of Amazon order ${draft.amazon_order_id} order=${draft.order_id} action=${created.id}`
      )
    }
    return new StepResponse<RecordOrderActionStepOutput, string | null>(
      { action_id: created.id, created: true, status: created.status, skipped: null },
      created.id
    )
  },
  async (createdId, { container }) => {
    if (!createdId) {
      return
    }
    // Hard delete: a soft-deleted row would still be a row; deleting twice is a no-op.
    await container.resolve<AmazonModuleService>(AMAZON_MODULE).deleteAmazonOrderActions(createdId)
  }
)
