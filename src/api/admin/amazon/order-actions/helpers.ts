import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { CANCEL_REASONS } from "../../../../lib/amazon/feeds/build-order-acknowledgement-feed"
import { amazonOrderFacts, amazonOrderSummary, cancelRefusal } from "../../../../lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../../../modules/amazon"
import type AmazonModuleService from "../../../../modules/amazon/service"
import type { AdminAmazonOrderAction, AdminAmazonOrderActionsResponse } from "../../../../types/http"
import { loadOrderAmazonContext } from "../../../../workflows/order-actions/utils/order-facts"

const ACTION_FIELDS = [
  "id",
  "kind",
  "status",
  "channel",
  "fulfillment_id",
  "package_reference",
  "feed_id",
  "payload",
  "attempts",
  "next_attempt_at",
  "last_error_code",
  "last_error",
  "sent_at",
  "done_at",
  "created_at",
] as const

/** The order page's view of an order's Amazon side and of every action sent (or to be sent) for it. */
export async function orderActionsView(container: Pick<MedusaContainer, "resolve">, orderId: string): Promise<AdminAmazonOrderActionsResponse> {
  const context = await loadOrderAmazonContext(container, orderId)
  if (!context.order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${orderId} was not found`)
  }
  const facts = amazonOrderFacts(context.amazon_order, context.order.metadata)
  const empty: AdminAmazonOrderActionsResponse = {
    order_id: orderId,
    amazon_order: null,
    latest_ship_date: null,
    cancellation_request: null,
    cancel_refusal: `Order ${orderId} did not come from Amazon.`,
    cancel_reasons: [...CANCEL_REASONS],
    actions: [],
  }
  if (!facts) {
    return empty
  }
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const actions = (await amazon.listAmazonOrderActions(
    { order_id: orderId },
    { select: [...ACTION_FIELDS], order: { created_at: "ASC" }, take: 500 }
  )) as unknown as AdminAmazonOrderAction[]
  const shipmentActions = actions.filter((a) => a.kind === "confirm_shipment" && a.status !== "failed").length
  const summary = amazonOrderSummary({
    metadata: context.order.metadata,
    payload: context.amazon_order?.payload,
    fulfilled_by_amazon: facts.fulfilled_by_amazon,
  })
  return {
    ...empty,
    amazon_order: {
      id: facts.amazon_order_record_id,
      amazon_order_id: facts.amazon_order_id,
      marketplace_id: facts.marketplace_id,
      status: facts.status,
      fulfillment_channel: facts.fulfilled_by_amazon ? "AMAZON" : "MERCHANT",
    },
    latest_ship_date: summary.latest_ship_date,
    // Once the order is cancelled (or shipped) the request is answered.
    cancellation_request: context.order.status === "canceled" ? null : summary.cancellation_request,
    cancel_refusal: cancelRefusal({ order: context.order, amazon_order: context.amazon_order, shipment_actions: shipmentActions }),
    actions,
  }
}
