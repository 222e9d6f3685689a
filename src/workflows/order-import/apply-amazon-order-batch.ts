import { createWorkflow, parallelize, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createReservationsStep } from "@medusajs/medusa/core-flows"
import { groupFulfilments, peekOrderId, planBatchStock } from "../../lib/amazon/orders"
import type { FulfillmentStatus } from "../../lib/amazon/parsers/parse-order"
import { ensureAmazonSalesChannelStep } from "../shared/steps/ensure-amazon-sales-channel"
import { amazonOrderLockKey } from "./constants"
import { acquireAmazonLockStep } from "../shared/steps/acquire-amazon-lock"
import { releaseAmazonLockStep } from "../shared/steps/release-amazon-lock"
import { amazonOrderBatchShippingTargets, amazonOrderRegionKey, createAmazonOrderBatchStep } from "./steps/create-amazon-order-batch"
import type { CreatedAmazonOrder } from "./steps/create-amazon-order-batch"
import { ensureAmazonOrderRegionsWorkflow } from "../shared/steps/ensure-amazon-order-region"
import { ensureAmazonOrderShippingWorkflow } from "./steps/ensure-amazon-order-shipping"
import { markAmazonOrderBatchPaidStep } from "./steps/mark-amazon-order-batch-paid"
import { prepareAmazonOrderBatchStep } from "./steps/prepare-amazon-order-batch"
import { recordAmazonFulfilmentsStep } from "./steps/record-amazon-fulfilments"
import { recordAmazonOrderBatchStep } from "./steps/record-amazon-order-batch"

export const applyAmazonOrderBatchWorkflowId = "amazon-apply-order-batch"

export interface ApplyAmazonOrderBatchWorkflowInput {
  account_id: string
  /** The marketplace polled; an order's own salesChannel.marketplaceId wins when present. */
  marketplace_id: string
  /** New orders of one searchOrders page (no record yet), unparsed. */
  orders: unknown[]
  /** A back-import page: units shipped before the import are recorded, not decremented (see planStockChanges). */
  historic?: boolean
}

export interface ApplyAmazonOrderBatchWorkflowOutput {
  /** The orders applied here. */
  applied: { amazon_order_id: string; outcome: "pending" | "imported"; order_id: string | null }[]
  /** The orders left to applyAmazonOrderWorkflow, as received. */
  fallback: unknown[]
  /** Variants whose store stock moved. */
  variant_ids: string[]
}

/**
 * Applies the new orders of one searchOrders page together: the result, order by order, is the one
 * applyAmazonOrderWorkflow gives — a paid Medusa order in the Amazon sales channel with Amazon's items,
 * prices, tax, address and buyer, stock reserved or decremented by the same plan, the amazon_order record
 * and its link — but each kind of write happens once per page (one createOrders, one nested payment
 * insert, one reservation insert, one record insert) instead of once per order through a dozen workflow
 * steps. A 10,000-order backlog is then bounded by Amazon's searchOrders quota, not by the store.
 *
 * 1. Take the per-order locks of the whole batch (all or none).
 * 2. Decide every order before writing anything (prepareAmazonOrderBatchStep): what is not a plain new
 *    order — unreadable, unknown SKU, already recorded, already created by a crashed run — is handed
 *    back in `fallback` for the one-by-one workflow, which files it or recovers it.
 * 3. Create the Medusa orders (their shipping method on the plugin's Amazon shipping option), mark them
 *    paid (payment and order transaction), reserve stock (planBatchStock: the plans one-by-one application
 *    would make), show the units Amazon already shipped as Medusa fulfillments and shipments and take
 *    them off stock (one step for the page, no per-order workflow); last, record them and queue the changed variants for the stock push
 *    in one transaction, then link them.
 *
 * Every writing step has a compensation: when anything fails, the whole batch is undone and the caller
 * applies the same orders one by one, where a failure stays with its order. A crash (SIGKILL, any workflow
 * engine) before the records are written leaves Medusa orders that carry their Amazon order id in
 * metadata and reservations tied to their line items: the next run finds them (prepare hands them back),
 * applyAmazonOrderWorkflow adopts them — not creating, paying or reserving anything twice — and queues
 * their variants for the push. A crash after the records leaves nothing to do but the links, which the
 * order actions do not need (they find the record by the metadata). Locks are leases: a killed process
 * holds them at most LEASE_SECONDS longer. Shipped units are counted on their items and taken off stock
 * in one transaction (recordAmazonFulfilmentsStep, writeImportedShipments), which is what the adoption
 * reads back; a fulfillment created before that transaction is cancelled by the adoption
 * (completeAmazonOrderStep) and the units fulfilled again.
 *
 * Not run: createOrderWorkflow's `orderCreated` and `setPricingContext` hooks (the batch does not go
 * through that workflow; prices are Amazon's).
 *
 * @example
 * const { result } = await applyAmazonOrderBatchWorkflow(container).run({ input: { account_id, marketplace_id, orders } })
 * for (const raw of result.fallback) await runApplyAmazonOrder(container, { account_id, marketplace_id, order: raw })
 */
export const applyAmazonOrderBatchWorkflow = createWorkflow(applyAmazonOrderBatchWorkflowId, (input: ApplyAmazonOrderBatchWorkflowInput) => {
  // The per-order locks of the whole batch, all or none, tried once: when any is held (an admin's retry,
  // another run), the batch hands every order to the one-by-one path, which waits for its lock.
  const lock = acquireAmazonLockStep(
    transform({ input }, ({ input }) => ({
      key: [...new Set(input.orders.map((o) => peekOrderId(o)).filter((id): id is string => !!id))].map(amazonOrderLockKey),
    }))
  ).config({ name: "amazon-acquire-order-batch-locks" })
  const batch = prepareAmazonOrderBatchStep(
    transform({ input, lock }, ({ input, lock }) => ({ account_id: input.account_id, marketplace_id: input.marketplace_id, orders: input.orders, lock }))
  )

  const toCreate = transform({ batch }, ({ batch }) =>
    batch.entries
      .filter((e) => e.create)
      .map((e) => ({
        amazon_order_id: e.amazon_order_id,
        marketplace_id: e.marketplace_id,
        create: e.create,
        fulfillment_channel: e.fulfillment_channel,
        items: e.items,
        variants: e.variants,
      }))
  )
  const created = when("amazon-batch-create-orders", { toCreate }, ({ toCreate }) => toCreate.length > 0).then(() => {
    const channel = ensureAmazonSalesChannelStep(transform({ batch }, ({ batch }) => ({ sales_channel_id: batch.sales_channel_id })))
    // One region per marketplace and currency of the page (normally one), found or created once.
    const regionTargets = transform({ toCreate, batch }, ({ toCreate, batch }) => {
      const keys = [...new Set(toCreate.map((e) => amazonOrderRegionKey(e.marketplace_id, e.create!.input.currency_code)))]
      return keys.map((key) => {
        const [marketplace_id, currency_code] = key.split("|")
        return { key, marketplace_id, currency_code, region_id: batch.region_ids[marketplace_id] ?? null }
      })
    })
    const regions = ensureAmazonOrderRegionsWorkflow
      .runAsStep({
        input: transform({ regionTargets }, ({ regionTargets }) => ({
          targets: regionTargets.map(({ marketplace_id, currency_code, region_id }) => ({ marketplace_id, currency_code, region_id })),
        })),
      })
      .config({ noCompensation: true })
    // The plugin's shipping options where the page's orders ship from, made once for the page.
    const targets = transform({ toCreate, batch }, ({ toCreate, batch }) => amazonOrderBatchShippingTargets(toCreate, batch.location_ids, batch.fba_location_ids))
    const shipping = ensureAmazonOrderShippingWorkflow
      .runAsStep({
        input: transform({ toCreate, targets }, ({ toCreate, targets }) => ({
          product_ids: toCreate.flatMap((e) => Object.values(e.variants).map((v) => v.product_id)).filter((id): id is string => !!id),
          targets: targets.filter((t): t is NonNullable<typeof t> => !!t),
        })),
      })
      .config({ noCompensation: true })
    const orders = createAmazonOrderBatchStep(
      transform({ toCreate, channel, regionTargets, regions, targets, shipping }, ({ toCreate, channel, regionTargets, regions, targets, shipping }) => ({
        entries: toCreate,
        sales_channel_id: channel.id,
        regions: Object.fromEntries(regionTargets.map((t, i) => [t.key, regions.regions[i].id])),
        targets,
        shipping,
      }))
    )
    return orders
  })

  const plans = transform({ input, batch, created }, ({ input, batch, created }) => {
    const byId = new Map(((created ?? []) as CreatedAmazonOrder[]).map((c) => [c.amazon_order_id, c]))
    return planBatchStock(
      batch.entries.map((e) => ({
        amazon_order_id: e.amazon_order_id,
        status: e.status as FulfillmentStatus,
        fulfilled_by: e.fulfillment_channel,
        items: e.items,
        variants: e.variants,
        line_items: byId.get(e.amazon_order_id)?.line_items ?? {},
        fulfilments: !!byId.get(e.amazon_order_id)?.shipping_option_id,
        historic: !!input.historic,
      })),
      batch.location_ids
    )
  })
  const reservations = transform({ plans }, ({ plans }) =>
    plans.flatMap((p) => p.create.map(({ order_item_id: _item, ...reservation }) => reservation))
  )
  const createdReservations = when("amazon-batch-reserve", { reservations }, ({ reservations }) => reservations.length > 0).then(() =>
    createReservationsStep(reservations)
  )
  const adjustments = transform({ plans }, ({ plans }) => {
    // One adjustment per level: the inventory module adjusts each level once per call.
    const merged = new Map<string, { inventory_item_id: string; location_id: string; adjustment: number }>()
    for (const a of plans.flatMap((p) => p.adjust)) {
      const key = `${a.inventory_item_id}|${a.location_id}`
      const entry = merged.get(key) ?? { inventory_item_id: a.inventory_item_id, location_id: a.location_id, adjustment: 0 }
      entry.adjustment += a.adjustment
      merged.set(key, entry)
    }
    return [...merged.values()].filter((a) => a.adjustment !== 0)
  })
  // Units Amazon shipped before the order reached the store: shown as fulfilled and shipped in Medusa,
  // recorded for the whole page in one step, which moves their stock (the adjustments above) in the same
  // transaction as the items' fulfilled quantities.
  const shipments = transform({ batch, created, plans }, ({ batch, created, plans }) => {
    const byId = new Map(((created ?? []) as CreatedAmazonOrder[]).map((c) => [c.amazon_order_id, c]))
    return batch.entries.map((e, i) => ({
      amazon_order_id: e.amazon_order_id,
      order_id: byId.get(e.amazon_order_id)?.order_id ?? null,
      ...groupFulfilments(plans[i].fulfil, e.packages, []),
    }))
  })

  // Payments and fulfillments side by side (each a few bulk statements; a page's time is mostly waiting on
  // the database), then our records last: a recorded order version is never applied again, so everything
  // else must be written before it. Each step takes an empty list.
  const variantIds = transform({ plans }, ({ plans }) => [...new Set(plans.flatMap((p) => p.variant_ids))])
  const finished = parallelize(
    markAmazonOrderBatchPaidStep(
      transform({ created }, ({ created }) => ({
        orders: ((created ?? []) as CreatedAmazonOrder[]).map(({ order_id, currency_code, total, capture_id }) => ({ order_id, currency_code, total, capture_id })),
      }))
    ),
    recordAmazonFulfilmentsStep(
      transform({ shipments, adjustments }, ({ shipments, adjustments }) => ({
        orders: shipments
          .filter((s) => s.order_id && s.groups.length > 0)
          .map((s) => ({ order_id: s.order_id as string, amazon_order_id: s.amazon_order_id, groups: s.groups })),
        // Orders this batch just created: their quantities go onto their items, with the stock moves of
        // their shipped units in one transaction (see the step).
        quantities: "items" as const,
        stock_moves: adjustments,
      }))
    )
  )
  // The records and the stock push's queue entries for the variants whose stock moved, in one transaction
  // (see the step): no crash can leave recorded orders whose stock change Amazon never hears of.
  recordAmazonOrderBatchStep(
    transform(
      { input, batch, created, plans, shipments, createdReservations, variantIds, finished },
      ({ input, batch, created, plans, shipments, createdReservations, variantIds }) => {
        const byId = new Map(((created ?? []) as CreatedAmazonOrder[]).map((c) => [c.amazon_order_id, c]))
        return {
          account_id: input.account_id,
          orders: batch.entries.map((e, i) => ({
            amazon_order_id: e.amazon_order_id,
            marketplace_id: e.marketplace_id,
            status: e.status,
            fulfillment_channel: e.fulfillment_channel,
            amazon_created_at: e.amazon_created_at,
            amazon_updated_at: e.amazon_updated_at,
            import_status: e.import_status,
            order_id: byId.get(e.amazon_order_id)?.order_id ?? null,
            applied: shipments[i].packages.length ? { ...plans[i].applied, packages: shipments[i].packages } : plans[i].applied,
            warnings: plans[i].warnings,
            cancellation: e.cancellation,
            payload: e.payload,
          })),
          created_reservations: ((createdReservations ?? []) as { id: string; inventory_item_id: string; metadata?: Record<string, unknown> | null }[]).map(
            (r) => ({ id: r.id, inventory_item_id: r.inventory_item_id, metadata: r.metadata ?? null })
          ),
          variant_ids: variantIds,
        }
      }
    )
  )
  // No order.fulfillment_created / shipment.created for these, as the batch emits no event for the orders
  // it creates either: every event starts subscriber work (the stock push's recorder, the order actions'
  // shipment check), and a backlog's shipped orders would bring a few dozen runs per page — measured, the
  // 10,000-order backlog took 1.58 × its quota minimum with them, 1.25 × without. The stock push is queued
  // by the batch itself; a shipment Amazon reported is never confirmed back to Amazon.
  releaseAmazonLockStep(lock).config({ name: "amazon-release-order-batch-locks" })

  const result = transform({ batch, created, variantIds }, ({ batch, created, variantIds }): ApplyAmazonOrderBatchWorkflowOutput => {
    const byId = new Map(((created ?? []) as CreatedAmazonOrder[]).map((c) => [c.amazon_order_id, c]))
    return {
      applied: batch.entries.map((e) => ({
        amazon_order_id: e.amazon_order_id,
        outcome: e.import_status,
        order_id: byId.get(e.amazon_order_id)?.order_id ?? null,
      })),
      fallback: batch.fallback,
      variant_ids: variantIds,
    }
  })
  return new WorkflowResponse(result)
})
