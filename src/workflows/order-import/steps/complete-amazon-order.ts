import type { Link } from "@medusajs/framework/modules-sdk"
import type { IFulfillmentModuleService, IOrderModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_FULFILMENT_CREATED_BY } from "../utils/amazon-fulfilment"

export const completeAmazonOrderStepId = "amazon-complete-order"

export interface CompleteAmazonOrderStepInput {
  order_id: string
  /** The plugin's shipping option for the order (ensureAmazonOrderShippingStep). */
  shipping_option_id: string | null
  /** Order metadata the import writes at creation (ship-by dates), set here when missing. */
  metadata: Record<string, unknown>
  /** Created by a run that crashed before recording it (no amazon_order record). */
  recovered?: boolean
}

type Undo = {
  order_id: string
  shipping_method_id: string | null
  transaction_ids: string[]
  metadata: Record<string, unknown> | null
}

type OrderRow = {
  id: string
  currency_code: string
  metadata?: Record<string, unknown> | null
  shipping_methods?: { id: string; shipping_option_id?: string | null }[]
  transactions?: { reference?: string | null; reference_id?: string | null }[]
  payment_collections?: { payments?: { captures?: { id: string; amount: unknown }[] | null }[] | null }[]
  items?: { detail?: { fulfilled_quantity?: unknown } | null }[] | null
  fulfillments?: { id: string; created_by?: string | null; canceled_at?: unknown }[] | null
}

/**
 * Brings an Amazon order that already exists in Medusa — imported by an earlier version of the plugin,
 * or created by a run that crashed — to the records a new import leaves, so it is a native order for the
 * rest of its life: its shipping method points at the plugin's Amazon shipping option (Medusa's
 * fulfillment flows need it), every capture of its payment is recorded on the order as a transaction
 * (Medusa's summary, paid total and "outstanding amount" come from those), and Amazon's ship-by dates are
 * in its metadata. What is already there is left alone; a complete order costs one read.
 *
 * A recovered order (created by a crashed run) may also carry fulfillments the batched import created
 * for units Amazon shipped but never counted: the batch writes the items' fulfilled quantities and the
 * units' stock moves in one transaction after creating the fulfillments (writeImportedShipments). When
 * the order shows nothing fulfilled, such fulfillments are leftovers of the crash: they are cancelled
 * and unlinked here, and the import fulfils the units again, moving their stock once.
 *
 * Compensation puts back what it changed, except the leftovers (they stay cancelled).
 *
 * @example
 * completeAmazonOrderStep({ order_id, shipping_option_id, metadata: { amazon_latest_ship_date } })
 */
export const completeAmazonOrderStep = createStep(
  completeAmazonOrderStepId,
  async (input: CompleteAmazonOrderStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    const { data } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "currency_code",
        "metadata",
        "shipping_methods.id",
        "shipping_methods.shipping_option_id",
        "transactions.reference",
        "transactions.reference_id",
        "payment_collections.payments.captures.id",
        "payment_collections.payments.captures.amount",
        ...(input.recovered ? ["items.detail.fulfilled_quantity", "fulfillments.id", "fulfillments.created_by", "fulfillments.canceled_at"] : []),
      ],
      filters: { id: input.order_id },
    })
    const order = data[0] as OrderRow | undefined
    const undo: Undo = { order_id: input.order_id, shipping_method_id: null, transaction_ids: [], metadata: null }
    if (!order) {
      return new StepResponse(undo, undo)
    }

    const method = order.shipping_methods?.[0]
    if (input.shipping_option_id && method && !method.shipping_option_id) {
      await orders.updateOrderShippingMethods({ id: method.id, shipping_option_id: input.shipping_option_id } as never)
      undo.shipping_method_id = method.id
    }

    const recorded = new Set((order.transactions ?? []).filter((t) => t.reference === "capture").map((t) => t.reference_id))
    const captures = (order.payment_collections ?? []).flatMap((c) => (c.payments ?? []).flatMap((p) => p.captures ?? []))
    const missing = captures.filter((c) => !recorded.has(c.id))
    if (missing.length) {
      // What capturePaymentWorkflow records for a capture (addOrderTransactionStep).
      const created = await orders.addOrderTransactions(
        missing.map((c) => ({
          order_id: order.id,
          amount: Number(c.amount),
          currency_code: order.currency_code,
          reference: "capture",
          reference_id: c.id,
        }))
      )
      undo.transaction_ids = created.map((t) => t.id)
    }

    if (input.recovered) {
      const fulfilled = (order.items ?? []).reduce((n, i) => n + (Number(i?.detail?.fulfilled_quantity ?? 0) || 0), 0)
      const leftovers = fulfilled > 0 ? [] : (order.fulfillments ?? []).filter((f) => f && !f.canceled_at && f.created_by === AMAZON_FULFILMENT_CREATED_BY)
      if (leftovers.length) {
        const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
        await link.dismiss(leftovers.map((f) => ({ [Modules.ORDER]: { order_id: order.id }, [Modules.FULFILLMENT]: { fulfillment_id: f.id } })))
        const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
        for (const f of leftovers) {
          await fulfillment.cancelFulfillment(f.id)
        }
      }
    }

    const current = order.metadata ?? {}
    const additions = Object.fromEntries(Object.entries(input.metadata).filter(([k, v]) => v !== undefined && v !== null && current[k] === undefined))
    if (Object.keys(additions).length) {
      undo.metadata = current
      await orders.updateOrders(order.id, { metadata: { ...current, ...additions } })
    }
    return new StepResponse(undo, undo)
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    if (undo.transaction_ids.length) {
      await orders.deleteOrderTransactions(undo.transaction_ids)
    }
    if (undo.shipping_method_id) {
      await orders.updateOrderShippingMethods({ id: undo.shipping_method_id, shipping_option_id: null } as never)
    }
    if (undo.metadata) {
      await orders.updateOrders(undo.order_id, { metadata: undo.metadata })
    }
  }
)
