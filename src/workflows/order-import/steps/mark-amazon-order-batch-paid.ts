import type { Link } from "@medusajs/framework/modules-sdk"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateEntityId, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { SYSTEM_PAYMENT_PROVIDER_ID } from "../mark-amazon-order-paid"

export const markAmazonOrderBatchPaidStepId = "amazon-mark-order-batch-paid"

export interface MarkAmazonOrderBatchPaidStepInput {
  /** capture_id: the id the capture gets, which the order's transaction already names (createAmazonOrderBatchStep). */
  orders: { order_id: string; currency_code: string; total: number; capture_id: string | null }[]
}

type Undo = { links: { order_id: string; payment_collection_id: string }[] }

/**
 * Shows a batch of imported orders as paid, with the same records markAmazonOrderPaidWorkflow leaves for
 * one order — per order a payment collection linked to it, a system-provider session (authorized), its
 * payment and one capture of the whole total, the collection "completed" — written with one nested
 * `createPaymentCollections` call, so in one transaction: a crash leaves an order either unpaid or fully
 * paid, never half. The system provider moves no money and answers every call with an empty `data`, so
 * calling it per order (three module calls each) would change nothing but the time taken.
 *
 * The capture is recorded on the order as capturePaymentWorkflow records it (addOrderTransactionStep:
 * an order transaction, reference "capture", reference_id the capture's id): Medusa's order summary
 * (paid_total, pending_difference: the admin's "Outstanding amount") is computed from those
 * transactions, not from the payment records. The batch creates each order with that transaction
 * already (createAmazonOrderBatchStep, which chose the capture's id), so the summary is right from the
 * start and no summary is rewritten here; this step gives the capture that id.
 *
 * Orders with a zero total get no payment, as in markAmazonOrderPaidWorkflow. Compensation deletes the
 * collections and their links.
 *
 * @example
 * markAmazonOrderBatchPaidStep({ orders: created.map(({ order_id, currency_code, total }) => ({ order_id, currency_code, total })) })
 */
export const markAmazonOrderBatchPaidStep = createStep(
  markAmazonOrderBatchPaidStepId,
  async (input: MarkAmazonOrderBatchPaidStepInput, { container }) => {
    const toPay = input.orders.filter((o) => o.total > 0)
    if (!toPay.length) {
      return new StepResponse(0, { links: [] } as Undo)
    }
    const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
    const now = new Date()
    const links = toPay.map((o) => ({ order_id: o.order_id, payment_collection_id: generateEntityId(undefined, "pay_col") }))
    const captureIds = toPay.map((o) => o.capture_id ?? generateEntityId(undefined, "capt"))
    await payments.createPaymentCollections(
      toPay.map((o, i) => ({
        id: links[i].payment_collection_id,
        currency_code: o.currency_code,
        amount: o.total,
        status: "completed",
        authorized_amount: o.total,
        captured_amount: o.total,
        refunded_amount: 0,
        completed_at: now,
        payment_sessions: [
          {
            provider_id: SYSTEM_PAYMENT_PROVIDER_ID,
            currency_code: o.currency_code,
            amount: o.total,
            data: {},
            context: {},
            metadata: {},
            status: "authorized",
            authorized_at: now,
            payment: {
              payment_collection_id: links[i].payment_collection_id,
              provider_id: SYSTEM_PAYMENT_PROVIDER_ID,
              currency_code: o.currency_code,
              amount: o.total,
              data: {},
              captured_at: now,
              captures: [{ id: captureIds[i], amount: o.total, created_by: "amazon" }],
            },
          },
        ],
      })) as never
    )
    const undo: Undo = { links }
    try {
      await link.create(
        links.map((l) => ({ [Modules.ORDER]: { order_id: l.order_id }, [Modules.PAYMENT]: { payment_collection_id: l.payment_collection_id } }))
      )
    } catch (e) {
      await payments.deletePaymentCollections(links.map((l) => l.payment_collection_id))
      throw e
    }
    return new StepResponse(links.length, undo)
  },
  async (undo, { container }) => {
    if (!undo?.links.length) {
      return
    }
    const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
    await link.dismiss(
      undo.links.map((l) => ({ [Modules.ORDER]: { order_id: l.order_id }, [Modules.PAYMENT]: { payment_collection_id: l.payment_collection_id } }))
    )
    await container.resolve<IPaymentModuleService>(Modules.PAYMENT).deletePaymentCollections(undo.links.map((l) => l.payment_collection_id))
  }
)
