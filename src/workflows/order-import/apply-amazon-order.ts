import type { CreateOrderWorkflowInput } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  adjustInventoryLevelsStep,
  cancelOrderWorkflow,
  createOrderFulfillmentWorkflow,
  createOrderShipmentWorkflow,
  createOrderWorkflow,
  createReservationsStep,
  deleteReservationsStep,
  updateReservationsStep,
} from "@medusajs/medusa/core-flows"
import {
  buildMedusaOrderInput,
  decideImport,
  fulfillmentChannel,
  groupFulfilments,
  planStockChanges,
  shippingLocationOf,
  stockPlanLines,
} from "../../lib/amazon/orders"
import type { FulfilmentGroup, ImportDecision, StockPlan } from "../../lib/amazon/orders"
import type { ParsedOrder } from "../../lib/amazon/parsers/parse-order"
import { ensureAmazonSalesChannelStep } from "../shared/steps/ensure-amazon-sales-channel"
import { acquireAmazonLockStep } from "../shared/steps/acquire-amazon-lock"
import { releaseAmazonLockStep } from "../shared/steps/release-amazon-lock"
import { ensureFbaLocationStep } from "../fba-stock/steps/ensure-fba-location"
import { amazonOrderLockKey } from "./constants"
import { markAmazonOrderPaidWorkflow } from "./mark-amazon-order-paid"
import { completeAmazonOrderStep } from "./steps/complete-amazon-order"
import { ensureAmazonOrderShippingStep } from "./steps/ensure-amazon-order-shipping"
import { ensureAmazonOrderRegionStep } from "../shared/steps/ensure-amazon-order-region"
import { linkAmazonOrderStep } from "./steps/link-amazon-order"
import { loadAmazonOrderLineItemsStep } from "./steps/load-amazon-order-line-items"
import { loadAmazonOrderRecordStep } from "./steps/load-amazon-order-record"
import { markCancelledByAmazonStep } from "./steps/mark-cancelled-by-amazon"
import { parseAmazonOrderStep } from "./steps/parse-amazon-order"
import { recordAmazonFulfilmentsStep } from "./steps/record-amazon-fulfilments"
import type { RecordedAmazonFulfilment } from "./steps/record-amazon-fulfilments"
import { recordAmazonOrderAttentionStep } from "./steps/record-amazon-order-attention"
import { recordAmazonOrderImportStep } from "./steps/record-amazon-order-import"
import { resolveAmazonOrderVariantsStep } from "./steps/resolve-amazon-order-variants"
import { setAmazonOrderTaxLinesStep } from "./steps/set-amazon-order-tax-lines"
import { AMAZON_FULFILMENT_CREATED_BY, amazonFulfilmentMetadata, emitAmazonShipmentEvents, lineQuantities } from "./utils/amazon-fulfilment"

export const applyAmazonOrderWorkflowId = "amazon-apply-order"

export interface ApplyAmazonOrderWorkflowInput {
  account_id: string
  /** The marketplace polled; the order's own salesChannel.marketplaceId wins when present. */
  marketplace_id: string
  /** One `Order` of a searchOrders response, unparsed (a bad one is filed, not thrown). */
  order: unknown
  /** Apply even if this version was recorded before (the admin's retry). */
  force?: boolean
  /** A back-import: units shipped before the import are recorded, not decremented (see planStockChanges). */
  historic?: boolean
}

export interface ApplyAmazonOrderWorkflowOutput {
  amazon_order_id: string | null
  outcome: "skipped" | "needs_attention" | "pending" | "imported"
  decision: ImportDecision
  order_id: string | null
  /** Variants whose store stock moved. */
  variant_ids: string[]
}

const EMPTY_PLAN: StockPlan = { create: [], update: [], delete: [], adjust: [], fulfil: [], applied: { version: 1, items: {} }, variant_ids: [], warnings: [] }

/**
 * Applies one version of an Amazon order to the store, exactly once:
 *
 * 1. parse → read our record, its Medusa order and reservations → map SKUs to variants → decide
 *    (skip an applied version / file "needs attention" / apply). Unknown SKUs and bad data end here,
 *    before anything is written, so there is never a partial Medusa order.
 * 2. When Amazon has taken the payment and no Medusa order exists: create it with Medusa's
 *    createOrderWorkflow (in the Amazon sales channel and a region of the order's currency, its shipping
 *    method on the plugin's Amazon shipping option), link it to our record at once, set Amazon's tax, and
 *    show it as paid (payment captured and recorded on the order). An order that exists from before is
 *    completed to the same records (completeAmazonOrderStep).
 * 3. Move stock by the plan with Medusa's inventory steps: every unit Medusa does not show fulfilled is
 *    reserved on its line item; units Amazon shipped become Medusa fulfillments and shipments — through
 *    createOrderFulfillmentWorkflow + createOrderShipmentWorkflow, which consume the reservations and
 *    decrement the levels (Medusa's own way), with Amazon's tracking numbers as labels; what that
 *    workflow cannot take (Amazon-fulfilled units, another shipping profile, units an older record had
 *    decremented) is recorded by recordAmazonFulfilmentsStep. Then cancel the Medusa order when Amazon
 *    cancelled, record the version and what was applied, and queue the changed variants for the push.
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
  // A lease (renewed while this run lives): a killed process keeps the order locked LEASE_SECONDS at most.
  const lock = acquireAmazonLockStep(transform({ lockKey }, ({ lockKey }) => ({ key: lockKey, wait_seconds: 60, required: true })))

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

  // The order's shipping option (what Medusa's fulfillment flows read): at the location its stock is held,
  // or, for an Amazon-fulfilled order, at the FBA location (made by the FBA sync, or here if it has not run).
  const fulfilledBy = transform({ parsed }, ({ parsed }) => (parsed.order ? fulfillmentChannel(parsed.order) : ("MERCHANT" as const)))
  const needsShipping = transform({ decision, state }, ({ decision, state }) => decision.kind === "apply" && (decision.create_order || !!state.medusa_order))
  const fbaLocation = when("amazon-order-fba-location", { needsShipping, fulfilledBy }, ({ needsShipping, fulfilledBy }) => needsShipping && fulfilledBy === "AMAZON").then(
    () => {
      const channel = ensureAmazonSalesChannelStep({ sales_channel_id: resolved.sales_channel_id }).config({ name: "amazon-fba-order-sales-channel" })
      return ensureFbaLocationStep(
        transform({ input, resolved, channel, marketplaceId }, ({ input, resolved, channel, marketplaceId }) => ({
          account_id: input.account_id,
          account_name: resolved.account_name,
          marketplace_id: marketplaceId,
          location_id: resolved.fba_location_id,
          sales_channel_id: channel.id,
          merchant_location_ids: resolved.location_ids,
        }))
      )
    }
  )
  const shipping = when("amazon-order-shipping", { needsShipping }, ({ needsShipping }) => needsShipping).then(() =>
    ensureAmazonOrderShippingStep(
      transform({ parsed, resolved, state, fbaLocation, fulfilledBy }, ({ parsed, resolved, state, fbaLocation, fulfilledBy }) => {
        const order = parsed.order as ParsedOrder
        const held = Object.values(state.applied.items).find((i) => i.location_id)?.location_id ?? null
        return {
          product_ids: Object.values(resolved.variants).map((v) => v.product_id).filter((id): id is string => !!id),
          first_product_id: resolved.variants[order.items[0]?.sku]?.product_id ?? null,
          location_id:
            fulfilledBy === "AMAZON"
              ? ((fbaLocation as { location_id?: string } | undefined)?.location_id ?? null)
              : (held ?? shippingLocationOf(stockPlanLines(order), resolved.variants, resolved.location_ids)),
          fulfilled_by: fulfilledBy,
        }
      })
    )
  )

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
      const orderInput = transform({ input, parsed, resolved, channel, region, shipping }, ({ input, parsed, resolved, channel, region, shipping }) => {
        const { input: order } = buildMedusaOrderInput(parsed.order!, {
          account_id: input.account_id,
          region_id: region.id,
          sales_channel_id: channel.id,
          variants: resolved.variants,
          shipping_option_id: shipping?.shipping_option_id ?? null,
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
    return { id, finish: !!created || recovered, existing: !created && !!id }
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

  // An order imported before (by an earlier version of the plugin, or a crashed run): give it what a new
  // import gives an order, so Medusa treats it as its own for the rest of its life.
  when("amazon-order-complete", { medusaOrder, decision }, ({ medusaOrder, decision }) => decision.kind === "apply" && medusaOrder.existing).then(() => {
    completeAmazonOrderStep(
      transform({ medusaOrder, shipping, parsed, resolved, state }, ({ medusaOrder, shipping, parsed, resolved, state }) => {
        const metadata = buildMedusaOrderInput(parsed.order!, { account_id: "-", region_id: "-", sales_channel_id: "-", variants: resolved.variants }).input.metadata
        return {
          order_id: medusaOrder.id as string,
          shipping_option_id: shipping?.shipping_option_id ?? null,
          recovered: !!state.medusa_order?.recovered,
          metadata: {
            amazon_latest_ship_date: metadata.amazon_latest_ship_date,
            amazon_earliest_ship_date: metadata.amazon_earliest_ship_date,
            amazon_latest_delivery_date: metadata.amazon_latest_delivery_date,
          },
        }
      })
    )
  })

  const lineItems = loadAmazonOrderLineItemsStep(
    transform({ decision, medusaOrder }, ({ decision, medusaOrder }) => ({ order_id: decision.kind === "apply" ? medusaOrder.id : null }))
  )

  const plan = transform({ input, parsed, decision, state, resolved, lineItems }, ({ input, parsed, decision, state, resolved, lineItems }) => {
    if (decision.kind !== "apply" || !parsed.order || !parsed.order.status) {
      return EMPTY_PLAN
    }
    const order = parsed.order
    const option = lineItems.shipping_option
    return planStockChanges({
      amazon_order_id: order.orderId,
      status: order.status!,
      fulfilled_by: fulfillmentChannel(order),
      items: stockPlanLines(order).map((line) => {
        const lineItemId = lineItems.line_items[line.order_item_id] ?? null
        return {
          ...line,
          variant: resolved.variants[line.seller_sku] ?? null,
          line_item_id: lineItemId,
          // Without a shipping option (a store with no stock location) Medusa cannot fulfil the order:
          // shipped units then only leave stock, as before fulfillments were recorded.
          ...(lineItemId && option
            ? {
                fulfilled_in_medusa: lineItems.fulfilled[lineItemId] ?? 0,
                quantity_in_medusa: lineItems.quantities[lineItemId] ?? null,
                // Medusa's createOrderFulfillmentWorkflow fulfils an item under the order's shipping option
                // only when the item's product is in that option's shipping profile.
                medusa_fulfilment: !!option && !!option.shipping_profile_id && lineItems.profiles[lineItemId] === option.shipping_profile_id,
              }
            : {}),
        }
      }),
      applied: state.applied,
      reservations: state.reservations,
      location_ids: resolved.location_ids,
      order_canceled_in_store: !!state.medusa_order?.canceled,
      historic: !!input.historic,
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

  // Amazon shipped units Medusa does not show fulfilled yet: Medusa fulfils and ships them itself
  // (consuming the reservations kept for them), and records what it cannot move stock for.
  const shipments = transform({ plan, parsed, state }, ({ plan, parsed, state }) =>
    groupFulfilments(plan.fulfil, parsed.order?.packages, state.applied.packages)
  )
  const medusaGroup = transform({ shipments }, ({ shipments }) => shipments.groups.find((g) => g.via === "medusa") ?? null)
  when("amazon-order-fulfil", { medusaGroup }, ({ medusaGroup }) => !!medusaGroup).then(() => {
    const fulfillment = createOrderFulfillmentWorkflow.runAsStep({
      input: transform({ medusaOrder, medusaGroup, parsed }, ({ medusaOrder, medusaGroup, parsed }) => ({
        order_id: medusaOrder.id as string,
        items: lineQuantities(medusaGroup as FulfilmentGroup),
        created_by: AMAZON_FULFILMENT_CREATED_BY,
        no_notification: true,
        metadata: amazonFulfilmentMetadata(parsed.order!.orderId, medusaGroup as FulfilmentGroup),
      })),
    })
    createOrderShipmentWorkflow.runAsStep({
      input: transform({ medusaOrder, medusaGroup, fulfillment }, ({ medusaOrder, medusaGroup, fulfillment }) => ({
        order_id: medusaOrder.id as string,
        fulfillment_id: (fulfillment as { id: string }).id,
        items: lineQuantities(medusaGroup as FulfilmentGroup),
        labels: (medusaGroup as FulfilmentGroup).labels,
        created_by: AMAZON_FULFILMENT_CREATED_BY,
        no_notification: true,
      })),
    })
  })
  const recorded = when("amazon-order-record-shipments", { shipments }, ({ shipments }) => shipments.groups.some((g) => g.via === "record")).then(() =>
    recordAmazonFulfilmentsStep(
      transform({ medusaOrder, shipments, parsed }, ({ medusaOrder, shipments, parsed }) => ({
        orders: [{ order_id: medusaOrder.id as string, amazon_order_id: parsed.order!.orderId, groups: shipments.groups.filter((g) => g.via === "record") }],
      }))
    )
  )
  when("amazon-order-shipment-events", { recorded }, ({ recorded }) => !!recorded?.length).then(() => {
    emitAmazonShipmentEvents(recorded as RecordedAmazonFulfilment[])
  })

  when("amazon-order-cancel", { decision }, ({ decision }) => decision.kind === "apply" && decision.cancel_order).then(() => {
    markCancelledByAmazonStep(transform({ decision }, ({ decision }) => ({ order_id: (decision as { order_id: string }).order_id })))
    cancelOrderWorkflow.runAsStep({
      input: transform({ decision }, ({ decision }) => ({ order_id: (decision as { order_id: string }).order_id, no_notification: true })),
    })
  })

  // Queued for the push with the record (one transaction): the variants this version moved, and all of a
  // recovered order's — a crashed run may have reserved its stock already (adopted above, so the plan moves
  // nothing now) without ever queuing the change.
  const stockVariantIds = transform({ plan, medusaOrder, resolved }, ({ plan, medusaOrder, resolved }) => {
    const ids = new Set(plan.variant_ids)
    if (medusaOrder.finish && medusaOrder.existing) {
      for (const v of Object.values(resolved.variants)) if (v?.variant_id && v.manage_inventory) ids.add(v.variant_id)
    }
    return [...ids].sort()
  })
  when("amazon-order-record", { decision }, ({ decision }) => decision.kind === "apply").then(() => {
    recordAmazonOrderImportStep(
      transform(
        { input, parsed, decision, medusaOrder, plan, shipments, createdReservations, marketplaceId, stockVariantIds },
        ({ input, parsed, decision, medusaOrder, plan, shipments, createdReservations, marketplaceId, stockVariantIds }) => {
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
            applied: shipments.packages.length ? { ...plan.applied, packages: shipments.packages } : plan.applied,
            created_reservations: (createdReservations ?? null) as { id: string; inventory_item_id: string; metadata?: Record<string, unknown> | null }[] | null,
            payload: input.order,
            warnings: plan.warnings,
            cancellation: order.cancellation ?? null,
            variant_ids: stockVariantIds,
          }
        }
      )
    )
  })

  releaseAmazonLockStep(lock)

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

