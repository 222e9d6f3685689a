import type { Link } from "@medusajs/framework/modules-sdk"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateEntityId, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { SYSTEM_PAYMENT_PROVIDER_ID } from "../mark-amazon-order-paid"

export const markAmazonOrderBatchPaidStepId = "amazon-mark-order-batch-paid"

export interface MarkAmazonOrderBatchPaidStepInput {
  orders: { order_id: string; currency_code: string; total: number }[]
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
              captures: [{ amount: o.total, created_by: "amazon" }],
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
