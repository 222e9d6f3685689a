import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  authorizePaymentSessionStep,
  capturePaymentWorkflow,
  createPaymentCollectionsStep,
  createPaymentSessionStep,
  createRemoteLinkStep,
  useQueryGraphStep,
} from "@medusajs/medusa/core-flows"

export const markAmazonOrderPaidWorkflowId = "amazon-mark-order-paid"

/** Medusa's built-in "manual" payment provider: records a payment without any money moving. */
export const SYSTEM_PAYMENT_PROVIDER_ID = "pp_system_default"

export interface MarkAmazonOrderPaidWorkflowInput {
  order_id: string
}

/**
 * Shows an imported Amazon order as paid: Amazon collected the money, the store never will. Medusa 2.21
 * derives an order's payment status from its payment collections, so the order gets one payment
 * collection for its total (linked to the order, as createOrderPaymentCollectionWorkflow does), paid
 * with the system provider: session → authorize → capture, the same steps as core's
 * markPaymentCollectionAsPaid ("mark as paid" of draft orders). The order then reads
 * `payment_status: "captured"`, and cancelling it later refunds through the same provider (again without
 * money moving: Amazon refunds the buyer).
 *
 * Unlike markPaymentCollectionAsPaid this does not require the system provider to be enabled in the
 * order's region: that setting decides what a storefront checkout offers, which an Amazon order never
 * goes through, and enabling it would offer "manual payment" to the store's own customers.
 *
 * @example
 * markAmazonOrderPaidWorkflow.runAsStep({ input: { order_id: order.id } })
 */
export const markAmazonOrderPaidWorkflow = createWorkflow(markAmazonOrderPaidWorkflowId, (input: MarkAmazonOrderPaidWorkflowInput) => {
  const { data: order } = useQueryGraphStep({
    entity: "order",
    fields: ["id", "total", "currency_code"],
    filters: { id: input.order_id },
    options: { throwIfKeyNotFound: true, isList: false },
  }).config({ name: "amazon-paid-order-total" })

  const amount = transform({ order }, ({ order }) => Number((order as { total?: unknown }).total ?? 0))

  const payment = when("amazon-order-has-total", { amount }, ({ amount }) => amount > 0).then(() => {
    const collections = createPaymentCollectionsStep(
      transform({ order, amount }, ({ order, amount }) => [{ currency_code: (order as { currency_code: string }).currency_code, amount }])
    )
    createRemoteLinkStep(
      transform({ input, collections }, ({ input, collections }) => [
        { [Modules.ORDER]: { order_id: input.order_id }, [Modules.PAYMENT]: { payment_collection_id: collections[0].id } },
      ])
    ).config({ name: "amazon-order-payment-collection-link" })
    const session = createPaymentSessionStep(
      transform({ collections, order, amount }, ({ collections, order, amount }) => ({
        payment_collection_id: collections[0].id,
        provider_id: SYSTEM_PAYMENT_PROVIDER_ID,
        currency_code: (order as { currency_code: string }).currency_code,
        amount,
        data: {},
        context: {},
      }))
    )
    const authorized = authorizePaymentSessionStep(transform({ session }, ({ session }) => ({ id: session.id, context: {} })))
    return capturePaymentWorkflow.runAsStep({
      input: transform({ authorized, amount }, ({ authorized, amount }) => ({
        payment_id: (authorized as { id: string }).id,
        amount,
        captured_by: "amazon",
      })),
    })
  })

  return new WorkflowResponse(transform({ payment }, ({ payment }) => ({ payment_id: (payment as { id?: string } | undefined)?.id ?? null })))
})
