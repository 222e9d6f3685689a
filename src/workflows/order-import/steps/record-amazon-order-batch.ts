import type { Link } from "@medusajs/framework/modules-sdk"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { fillReservationIds } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { ORDER_STOCK_CHANGE_REASON } from "../constants"
import { logOrderImportNotes } from "./record-amazon-order-import"
import type { RecordAmazonOrderImportStepInput } from "./record-amazon-order-import"

export const recordAmazonOrderBatchStepId = "amazon-record-order-batch"

export interface RecordAmazonOrderBatchStepInput {
  account_id: string
  /** Per order what recordAmazonOrderImportStep records for one (the reservations come below, for all). */
  orders: Omit<RecordAmazonOrderImportStepInput, "account_id" | "created_reservations">[]
  /** Every reservation the batch created (matched back to its order through its metadata). */
  created_reservations: { id: string; inventory_item_id: string; metadata?: Record<string, unknown> | null }[]
  /** Variants whose store stock the batch moved: queued for the stock push with the records. */
  variant_ids: string[]
}

type Undo = { record_ids: string[]; links: { record_id: string; order_id: string }[] }

/**
 * Records a batch of new Amazon orders as applied — one amazon_order row each (version, status, Medusa
 * order, what was done to stock with the new reservation ids, payload) with its amazon_order ↔ order link,
 * in one insert and one link call — after their stock moved, like recordAmazonOrderImportStep does for
 * one. The rows and the stock push's queue entries for `variant_ids` are written in one transaction
 * (recordAmazonOrderVersions): the next import skips a recorded order, so a queue entry written apart
 * from its record could be lost to a crash for good. Stock warnings and buyer cancellation requests go to
 * the sync log. Compensation removes the links and the rows (a queue entry left behind only makes the
 * push recompute a quantity).
 *
 * @example
 * recordAmazonOrderBatchStep({ account_id, orders, created_reservations, variant_ids })
 */
export const recordAmazonOrderBatchStep = createStep(
  recordAmazonOrderBatchStepId,
  async (input: RecordAmazonOrderBatchStepInput, { container }) => {
    const undo: Undo = { record_ids: [], links: [] }
    if (!input.orders.length) {
      return new StepResponse(0, undo)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
    const reservationsOf = new Map<string, RecordAmazonOrderBatchStepInput["created_reservations"]>()
    for (const r of input.created_reservations) {
      const id = String(r.metadata?.amazon_order_id ?? "")
      reservationsOf.set(id, [...(reservationsOf.get(id) ?? []), r])
    }
    const { created: rows } = await amazon.recordAmazonOrderVersions({
      create: input.orders.map((o) => ({
        account_id: input.account_id,
        amazon_order_id: o.amazon_order_id,
        marketplace_id: o.marketplace_id,
        status: o.status,
        fulfillment_channel: o.fulfillment_channel,
        amazon_created_at: o.amazon_created_at ? new Date(o.amazon_created_at) : null,
        amazon_updated_at: new Date(o.amazon_updated_at),
        import_status: o.import_status,
        attention_code: null,
        attention_reason: null,
        attempts: 0,
        order_id: o.order_id,
        applied: fillReservationIds(o.applied, reservationsOf.get(o.amazon_order_id) ?? []) as unknown as Record<string, unknown>,
        payload: o.payload as Record<string, unknown>,
      })),
      stock_changes: input.variant_ids.map((variant_id) => ({ variant_id, reason: ORDER_STOCK_CHANGE_REASON })),
    })
    undo.record_ids = rows.map((r) => r.id)
    const recordOf = new Map(rows.map((r) => [r.amazon_order_id, r.id]))
    undo.links = input.orders.filter((o) => o.order_id).map((o) => ({ record_id: recordOf.get(o.amazon_order_id) as string, order_id: o.order_id as string }))
    try {
      if (undo.links.length) {
        await link.create(undo.links.map((l) => ({ [AMAZON_MODULE]: { amazon_order_id: l.record_id }, [Modules.ORDER]: { order_id: l.order_id } })))
      }
    } catch (e) {
      await amazon.deleteAmazonOrders(undo.record_ids)
      throw e
    }
    for (const o of input.orders) {
      if (o.warnings.length || o.cancellation?.state === "REQUESTED") {
        await logOrderImportNotes(amazon, { ...o, account_id: input.account_id }, recordOf.get(o.amazon_order_id) as string)
      }
    }
    return new StepResponse(rows.length, undo)
  },
  async (undo, { container }) => {
    if (!undo?.record_ids.length) {
      return
    }
    const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
    if (undo.links.length) {
      await link.dismiss(undo.links.map((l) => ({ [AMAZON_MODULE]: { amazon_order_id: l.record_id }, [Modules.ORDER]: { order_id: l.order_id } })))
    }
    await container.resolve<AmazonModuleService>(AMAZON_MODULE).deleteAmazonOrders(undo.record_ids)
  }
)
