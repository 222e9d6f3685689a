import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, FulfillmentWorkflowEvents, OrderEditWorkflowEvents, OrderWorkflowEvents } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../modules/amazon"
import type AmazonModuleService from "../modules/amazon/service"
import { ORDER_ACTIONS_STREAM } from "../workflows/order-actions/constants"
import { recordAmazonCancelActionWorkflow } from "../workflows/order-actions/record-amazon-cancel-action"
import { recordAmazonItemCancelActionWorkflow } from "../workflows/order-actions/record-amazon-item-cancel-action"
import { recordAmazonShipmentActionWorkflow } from "../workflows/order-actions/record-amazon-shipment-action"
import { reapplyAmazonOrderAfterEdit } from "../workflows/order-import/orchestrators/retry-amazon-order"

/**
 * What staff do to an Amazon order in Medusa, recorded for Amazon:
 * - `shipment.created` (createOrderShipmentWorkflow; `data.id` is the fulfillment) → a shipment
 *   confirmation;
 * - `order.canceled` (cancelOrderWorkflow; `data.id` is the order) → a cancellation;
 * - `order-edit.confirmed` (confirmOrderEditRequestWorkflow; `data.order_id`) → a cancellation of the Amazon
 *   items the edit removed, then the order's reservations put right (Medusa's edit deletes ours).
 * Each starts a workflow that records an amazon_order_action row (or decides nothing is owed: not an Amazon
 * order, FBA, a change that came from Amazon). No Amazon call here: the order-actions job sends the rows.
 */
export default async function amazonOrderActionsHandler({ event, container }: SubscriberArgs<{ id?: string; order_id?: string }>) {
  const edit = event.name === OrderEditWorkflowEvents.CONFIRMED
  const id = edit ? event.data?.order_id : event.data?.id
  if (typeof id !== "string" || !id) {
    return
  }
  const shipment = event.name === FulfillmentWorkflowEvents.SHIPMENT_CREATED
  const { errors } = shipment
    ? await recordAmazonShipmentActionWorkflow(container).run({ input: { fulfillment_id: id }, throwOnError: false })
    : edit
      ? await recordAmazonItemCancelActionWorkflow(container).run({ input: { order_id: id }, throwOnError: false })
      : await recordAmazonCancelActionWorkflow(container).run({ input: { order_id: id }, throwOnError: false })
  if (edit) {
    // Not an Amazon call: the import's own workflow, from the payload kept on the order's record.
    await reapplyAmazonOrderAfterEdit(container, { order_id: id }).catch(async (e: Error) => {
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`amazon ${ORDER_ACTIONS_STREAM}: order ${id} was edited, its reservations were not put right: ${e.message}`)
      await container
        .resolve<AmazonModuleService>(AMAZON_MODULE)
        .recordSyncLog({
          stream: ORDER_ACTIONS_STREAM,
          level: "warn",
          code: "ORDER_EDIT_NOT_APPLIED",
          message: `Order ${id} was edited, but its stock reservations could not be put right (${e.message}). They are put right with Amazon's next change of the order; check the stock of its items meanwhile.`,
          context: { order_id: id },
        })
        .catch(() => undefined)
    })
  }
  if (!errors?.length) {
    return
  }
  // Recording failed (database trouble): the admin must learn that Amazon was not told.
  const message = (errors[0]?.error as { message?: string })?.message ?? "unknown error"
  const what = shipment ? `shipment ${id}` : edit ? `the items removed from order ${id}` : `the cancellation of order ${id}`
  container.resolve(ContainerRegistrationKeys.LOGGER).error(`amazon ${ORDER_ACTIONS_STREAM}: could not record ${what}: ${message}`)
  await container
    .resolve<AmazonModuleService>(AMAZON_MODULE)
    .recordSyncLog({
      stream: ORDER_ACTIONS_STREAM,
      level: "error",
      code: "ORDER_ACTION_NOT_RECORDED",
      message: `Could not record ${what} for Amazon (${message}). If it is an Amazon order, tell Amazon in Seller Central.`,
      context: shipment ? { fulfillment_id: id } : { order_id: id },
    })
    .catch(() => undefined)
}

export const config: SubscriberConfig = {
  event: [FulfillmentWorkflowEvents.SHIPMENT_CREATED, OrderWorkflowEvents.CANCELED, OrderEditWorkflowEvents.CONFIRMED],
  context: { subscriberId: "amazon-order-actions" },
}
