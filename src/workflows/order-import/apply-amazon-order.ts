import type { CreateOrderWorkflowInput } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  acquireLockStep,
  adjustInventoryLevelsStep,
  cancelOrderWorkflow,
  createOrderWorkflow,
  createReservationsStep,
  deleteReservationsStep,
  releaseLockStep,
  updateReservationsStep,
} from "@medusajs/medusa/core-flows"
import {
  buildMedusaOrderInput,
  decideImport,
  fulfillmentChannel,
  planStockChanges,
  stockPlanLines,
} from "../../lib/amazon/orders"
import type { ImportDecision, StockPlan } from "../../lib/amazon/orders"
import { ensureAmazonSalesChannelStep } from "../fba-stock/steps/ensure-amazon-sales-channel"
import { amazonOrderLockKey } from "./constants"
import { markAmazonOrderPaidWorkflow } from "./mark-amazon-order-paid"
import { enqueueAmazonOrderStockChangesStep } from "./steps/enqueue-amazon-order-stock-changes"
import { ensureAmazonOrderRegionStep } from "./steps/ensure-amazon-order-region"
import { linkAmazonOrderStep } from "./steps/link-amazon-order"
import { loadAmazonOrderLineItemsStep } from "./steps/load-amazon-order-line-items"
import { loadAmazonOrderRecordStep } from "./steps/load-amazon-order-record"
import { parseAmazonOrderStep } from "./steps/parse-amazon-order"
import { recordAmazonOrderAttentionStep } from "./steps/record-amazon-order-attention"
import { recordAmazonOrderImportStep } from "./steps/record-amazon-order-import"
import { resolveAmazonOrderVariantsStep } from "./steps/resolve-amazon-order-variants"
import { setAmazonOrderTaxLinesStep } from "./steps/set-amazon-order-tax-lines"

export const applyAmazonOrderWorkflowId = "amazon-apply-order"

export interface ApplyAmazonOrderWorkflowInput {
  account_id: string
  /** The marketplace polled; the order's own salesChannel.marketplaceId wins when present. */
  marketplace_id: string
  /** One `Order` of a searchOrders response, unparsed (a bad one is filed, not thrown). */
  order: unknown
  /** Apply even if this version was recorded before (the admin's retry). */
  force?: boolean
}

export interface ApplyAmazonOrderWorkflowOutput {
  amazon_order_id: string | null
  outcome: "skipped" | "needs_attention" | "pending" | "imported"
  decision: ImportDecision
  order_id: string | null
  /** Variants whose store stock moved. */
  variant_ids: string[]
}

const EMPTY_PLAN: StockPlan = { create: [], update: [], delete: [], adjust: [], applied: { version: 1, items: {} }, variant_ids: [], warnings: [] }

/**
 * Applies one version of an Amazon order to the store, exactly once:
 *
 * 1. parse → read our record, its Medusa order and reservations → map SKUs to variants → decide
 *    (skip an applied version / file "needs attention" / apply). Unknown SKUs and bad data end here,
 *    before anything is written, so there is never a partial Medusa order.
 * 2. When Amazon has taken the payment and no Medusa order exists: create it with Medusa's
 *    createOrderWorkflow (in the Amazon sales channel and a region of the order's currency), link it to
 *    our record at once, set Amazon's tax, and show it as paid.
 * 3. Move stock by the plan (reserve / release / decrement the newly shipped units) with Medusa's
 *    inventory steps, cancel the Medusa order when Amazon cancelled, record the version and what was
 *    applied, and queue the changed variants for the stock push.
 *
 * Every step before the record has a compensation, so a failure leaves nothing behind. A per-order lock
 * keeps two runs from applying the same order at once; the record's `amazon_updated_at` makes a replay a
 * no-op; the Amazon order id in the Medusa order's metadata lets a run after a crash find the order it
 * created and link it instead of creating a second one.
 *
 * @example
 * await applyAmazonOrderWorkflow(container).run({
 *   input: { account_id, marketplace_id: "A1PA6795UKMFR9", order },
 *   transactionId: `amazon-apply-order:${order.orderId}:${order.lastUpdatedTime}`,
 * })
 */
export const applyAmazonOrderWorkflow = createWorkflow(applyAmazonOrderWorkflowId, (input: ApplyAmazonOrderWorkflowInput) => {
  const parsed = parseAmazonOrderStep({ order: input.order })
  const lockKey = transform({ parsed }, ({ parsed }) => amazonOrderLockKey(parsed.amazon_order_id ?? "unreadable"))
  acquireLockStep({ key: lockKey, timeout: 60, ttl: 300, executeOnSubWorkflow: true })

  const state = loadAmazonOrderRecordStep({ amazon_order_id: parsed.amazon_order_id })
  const marketplaceId = transform({ input, parsed }, ({ input, parsed }) => parsed.order?.marketplaceId ?? input.marketplace_id)
  const resolved = resolveAmazonOrderVariantsStep(
    transform({ input, parsed, marketplaceId }, ({ input, parsed, marketplaceId }) => ({
      account_id: input.account_id,
      marketplace_id: marketplaceId,
      fulfilled_by: parsed.order ? fulfillmentChannel(parsed.order) : ("MERCHANT" as const),
      skus: parsed.order?.items.map((i) => i.sku) ?? [],
    }))
  )

  const decision = transform({ input, parsed, state, resolved }, ({ input, parsed, state, resolved }): ImportDecision =>
    decideImport({
      order: parsed.order,
      parse_error: parsed.error,
      record: state.record,
      medusa_order: state.medusa_order,
      variants: resolved.variants,
      force: input.force,
    })
  )

  when("amazon-order-needs-attention", { decision }, ({ decision }) => decision.kind === "attention").then(() => {
    recordAmazonOrderAttentionStep(
      transform({ input, parsed, decision, marketplaceId }, ({ input, parsed, decision, marketplaceId }) => ({
        account_id: input.account_id,
        marketplace_id: marketplaceId,
        amazon_order_id: parsed.amazon_order_id,
        code: decision.kind === "attention" ? decision.code : "IMPORT_FAILED",
        reason: decision.kind === "attention" ? decision.reason : "",
        payload: input.order,
        last_updated_time: parsed.last_updated_time,
        status: parsed.order?.status ?? null,
        fulfilled_by: parsed.order?.fulfilledBy ?? null,
      }))
    )
  })

  const created = when("amazon-order-create", { decision }, ({ decision }) => decision.kind === "apply" && decision.create_order).then(
    () => {
      const channel = ensureAmazonSalesChannelStep({ sales_channel_id: resolved.sales_channel_id })
      const region = ensureAmazonOrderRegionStep(
        transform({ parsed, resolved, marketplaceId }, ({ parsed, resolved, marketplaceId }) => ({
          marketplace_id: marketplaceId,
          currency_code: parsed.order?.currencyCode ?? null,
          region_id: resolved.region_id,
        }))
      )
      const orderInput = transform({ input, parsed, resolved, channel, region }, ({ input, parsed, resolved, channel, region }) => {
        const { input: order } = buildMedusaOrderInput(parsed.order!, {
          account_id: input.account_id,
          region_id: region.id,
          sales_channel_id: channel.id,
          variants: resolved.variants,
        })
        // Our input is stricter than CreateOrderDTO; `allow_backorder` on an item is read by the stock
        // check of createOrderWorkflow (see prepareConfirmInventoryInput) though the DTO does not list it.
        return order as unknown as CreateOrderWorkflowInput
      })
      return createOrderWorkflow.runAsStep({ input: orderInput })
    }
  )

  /** The Medusa order of this run: just created, or found again after a crash (then still to be finished). */
  const medusaOrder = transform({ created, state, decision }, ({ created, state, decision }) => {
    const id = (created as { id?: string } | undefined)?.id ?? (decision.kind === "apply" ? state.medusa_order?.id : undefined) ?? null
    const recovered = !created && decision.kind === "apply" && !!state.medusa_order?.recovered
    return { id, finish: !!created || recovered }
  })

  when("amazon-order-finish", { medusaOrder }, ({ medusaOrder }) => medusaOrder.finish && !!medusaOrder.id).then(() => {
    linkAmazonOrderStep(
      transform({ input, parsed, medusaOrder, marketplaceId }, ({ input, parsed, medusaOrder, marketplaceId }) => ({
        account_id: input.account_id,
        amazon_order_id: parsed.order!.orderId,
        marketplace_id: marketplaceId,
        status: parsed.order!.status as string,
        fulfillment_channel: fulfillmentChannel(parsed.order!),
        amazon_created_at: parsed.order!.createdTime,
        order_id: medusaOrder.id as string,
      }))
    )
    setAmazonOrderTaxLinesStep(
      transform({ parsed, resolved, medusaOrder }, ({ parsed, resolved, medusaOrder }) => ({
        order_id: medusaOrder.id as string,
        tax: buildMedusaOrderInput(parsed.order!, { account_id: "-", region_id: "-", sales_channel_id: "-", variants: resolved.variants }).tax,
      }))
    )
  })

  when("amazon-order-mark-paid", { medusaOrder, state }, ({ medusaOrder, state }) => {
    // A recovered order may have been created but not yet paid when the run crashed.
    return medusaOrder.finish && !!medusaOrder.id && !(state.medusa_order?.recovered && state.medusa_order.paid)
  }).then(() => {
    markAmazonOrderPaidWorkflow.runAsStep({ input: transform({ medusaOrder }, ({ medusaOrder }) => ({ order_id: medusaOrder.id as string })) })
  })

  const lineItems = loadAmazonOrderLineItemsStep(
    transform({ decision, medusaOrder }, ({ decision, medusaOrder }) => ({ order_id: decision.kind === "apply" ? medusaOrder.id : null }))
  )

  const plan = transform({ input, parsed, decision, state, resolved, lineItems }, ({ parsed, decision, state, resolved, lineItems }) => {
    if (decision.kind !== "apply" || !parsed.order || !parsed.order.status) {
      return EMPTY_PLAN
    }
    const order = parsed.order
    return planStockChanges({
      amazon_order_id: order.orderId,
      status: order.status!,
      fulfilled_by: fulfillmentChannel(order),
      items: stockPlanLines(order).map((line) => ({
        ...line,
        variant: resolved.variants[line.seller_sku] ?? null,
        line_item_id: lineItems[line.order_item_id] ?? null,
      })),
      applied: state.applied,
      reservations: state.reservations,
      location_ids: resolved.location_ids,
      order_canceled_in_store: !!state.medusa_order?.canceled,
    })
  })

  const createdReservations = when("amazon-order-reserve", { plan }, ({ plan }) => plan.create.length > 0).then(() =>
    createReservationsStep(transform({ plan }, ({ plan }) => plan.create.map(({ order_item_id: _item, ...reservation }) => reservation)))
  )
  when("amazon-order-decrement", { plan }, ({ plan }) => plan.adjust.length > 0).then(() => {
    adjustInventoryLevelsStep(transform({ plan }, ({ plan }) => plan.adjust))
  })
  when("amazon-order-resize-reservations", { plan }, ({ plan }) => plan.update.length > 0).then(() => {
    updateReservationsStep(transform({ plan }, ({ plan }) => plan.update))
  })
  when("amazon-order-release", { plan }, ({ plan }) => plan.delete.length > 0).then(() => {
    deleteReservationsStep(transform({ plan }, ({ plan }) => plan.delete))
  })

  when("amazon-order-cancel", { decision }, ({ decision }) => decision.kind === "apply" && decision.cancel_order).then(() => {
    cancelOrderWorkflow.runAsStep({
      input: transform({ decision }, ({ decision }) => ({ order_id: (decision as { order_id: string }).order_id, no_notification: true })),
    })
  })

  when("amazon-order-record", { decision }, ({ decision }) => decision.kind === "apply").then(() => {
    recordAmazonOrderImportStep(
      transform(
        { input, parsed, decision, medusaOrder, plan, createdReservations, marketplaceId },
        ({ input, parsed, decision, medusaOrder, plan, createdReservations, marketplaceId }) => {
          const order = parsed.order!
          return {
            account_id: input.account_id,
            marketplace_id: marketplaceId,
            amazon_order_id: order.orderId,
            status: order.status as string,
            fulfillment_channel: fulfillmentChannel(order),
            amazon_created_at: order.createdTime,
            amazon_updated_at: order.lastUpdatedTime,
            import_status: decision.kind === "apply" ? decision.import_status : ("imported" as const),
            order_id: medusaOrder.id,
            applied: plan.applied,
            created_reservations: (createdReservations ?? null) as { id: string; inventory_item_id: string; metadata?: Record<string, unknown> | null }[] | null,
            payload: input.order,
            warnings: plan.warnings,
            cancellation: order.cancellation ?? null,
          }
        }
      )
    )
    enqueueAmazonOrderStockChangesStep(transform({ plan }, ({ plan }) => ({ variant_ids: plan.variant_ids })))
  })

  releaseLockStep({ key: lockKey, executeOnSubWorkflow: true })

  const result = transform({ parsed, decision, medusaOrder, plan }, ({ parsed, decision, medusaOrder, plan }): ApplyAmazonOrderWorkflowOutput => ({
    amazon_order_id: parsed.amazon_order_id,
    outcome:
      decision.kind === "skip"
        ? "skipped"
        : decision.kind === "attention"
          ? "needs_attention"
          : decision.import_status === "pending"
            ? "pending"
            : "imported",
    decision,
    order_id: decision.kind === "apply" ? medusaOrder.id : null,
    variant_ids: plan.variant_ids,
  }))
  return new WorkflowResponse(result)
})
