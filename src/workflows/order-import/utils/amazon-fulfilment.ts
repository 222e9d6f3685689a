import { FulfillmentWorkflowEvents, OrderWorkflowEvents } from "@medusajs/framework/utils"
import { transform } from "@medusajs/framework/workflows-sdk"
import type { WorkflowData } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import type { FulfilmentGroup } from "../../../lib/amazon/orders"
import { FULFILLMENT_FROM_AMAZON_KEY, FULFILLMENT_FROM_AMAZON_VALUE } from "../../../lib/amazon/orders/markers"
import type { RecordedAmazonFulfilment } from "../steps/record-amazon-fulfilments"

/** `created_by` / `marked_shipped_by` of the fulfillments the import makes (as capture's `created_by`). */
export const AMAZON_FULFILMENT_CREATED_BY = "amazon"

/**
 * What a fulfillment made from Amazon's shipment remembers of it: the Amazon order, the packages
 * (packageReferenceId) and carriers it carries, and when Amazon says they were handed to the carrier
 * (Medusa's own `shipped_at` is when the import recorded the shipment). The marker tells the order
 * actions (Medusa → Amazon) that this shipment came from Amazon and is never to be confirmed back.
 */
export function amazonFulfilmentMetadata(amazonOrderId: string, group: FulfilmentGroup): Record<string, unknown> {
  return {
    [FULFILLMENT_FROM_AMAZON_KEY]: FULFILLMENT_FROM_AMAZON_VALUE,
    amazon_order_id: amazonOrderId,
    ...(group.package_reference_ids.length ? { amazon_package_reference_ids: group.package_reference_ids } : {}),
    ...(group.carriers.length ? { amazon_carriers: group.carriers } : {}),
    ...(group.shipped_at ? { amazon_ship_time: group.shipped_at } : {}),
  }
}

/** The line items and unit counts of a fulfillment group, as Medusa's fulfillment and shipment inputs take them. */
export function lineQuantities(group: FulfilmentGroup): { id: string; quantity: number }[] {
  const out = new Map<string, number>()
  for (const f of group.items) {
    out.set(f.line_item_id, (out.get(f.line_item_id) ?? 0) + f.quantity)
  }
  return [...out].map(([id, quantity]) => ({ id, quantity }))
}

/**
 * The events Medusa's createOrderFulfillmentWorkflow and createOrderShipmentWorkflow emit, for the
 * fulfillments the import recorded itself (Amazon tells its buyers; the store sends nothing). Called
 * while composing a workflow.
 */
export function emitAmazonShipmentEvents(recorded: WorkflowData<RecordedAmazonFulfilment[]> | RecordedAmazonFulfilment[]) {
  emitEventStep({
    eventName: OrderWorkflowEvents.FULFILLMENT_CREATED,
    data: transform({ recorded }, ({ recorded }) =>
      recorded.map((r) => ({ order_id: r.order_id, fulfillment_id: r.fulfillment_id, no_notification: true }))
    ),
  }).config({ name: "amazon-emit-fulfillment-created" })
  emitEventStep({
    eventName: FulfillmentWorkflowEvents.SHIPMENT_CREATED,
    data: transform({ recorded }, ({ recorded }) => recorded.map((r) => ({ id: r.fulfillment_id, no_notification: true }))),
  }).config({ name: "amazon-emit-shipment-created" })
}
