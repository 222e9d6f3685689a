import { MedusaError } from "@medusajs/framework/utils"
import { AmazonApiError } from "../../../lib/amazon/errors"
import type AmazonModuleService from "../service"

const NOTHING_AT_AMAZON = new Set(["refused", "cancelled", "unfulfillable", "invalid"])

/**
 * Cancels an MCF order at Amazon, for the MCF fulfillment provider's cancelFulfillment: Medusa cancels the
 * fulfillment only when this returns, so a cancellation Amazon refuses (the parcel is on its way) fails the
 * cancellation in Medusa with Amazon's reason instead of leaving stock and Amazon out of step. Orders Amazon
 * never took, or already ended, need no call.
 */
export async function cancelMcfOrderAtAmazon(amazon: AmazonModuleService, mcfOrderId: string): Promise<{ cancelled: boolean; note: string }> {
  const [row] = await amazon.listAmazonMcfOrders({ mcf_order_id: mcfOrderId }, { take: 1 })
  if (!row) {
    return { cancelled: false, note: "Amazon never received this order" }
  }
  if (NOTHING_AT_AMAZON.has(row.status)) {
    if (!row.cancelled_by) {
      // the merchant took the fulfillment back (re-allocating an order Amazon could not ship): that settles it
      await amazon.updateAmazonMcfOrders({ id: row.id, cancelled_by: "store", cancelled_at: new Date() })
    }
    return { cancelled: false, note: `nothing to cancel at Amazon (${row.status})` }
  }
  if (row.status === "complete" || row.status === "complete_partial") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Amazon has shipped MCF order ${mcfOrderId}; it can no longer be cancelled. Let it arrive and take it back as a return.`
    )
  }
  const api = await amazon.getSpApi(row.account_id)
  try {
    await api.cancelMcfOrder(mcfOrderId)
  } catch (e) {
    if (e instanceof AmazonApiError && e.status === 404 && row.status === "requested") {
      await amazon.updateAmazonMcfOrders({ id: row.id, status: "refused", last_error: "Amazon never received the order" })
      return { cancelled: false, note: "Amazon never received this order" }
    }
    const reason = e instanceof AmazonApiError ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e)
    await amazon.updateAmazonMcfOrders({ id: row.id, last_error: `Cancelling refused by Amazon: ${reason}`, calls: row.calls + 1 })
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Amazon did not cancel MCF order ${mcfOrderId} (${reason}). It is probably being packed or shipped already: the fulfillment stays as it is.`
    )
  }
  await amazon.updateAmazonMcfOrders({ id: row.id, status: "cancelled", cancelled_at: new Date(), cancelled_by: "store", last_error: null, calls: row.calls + 1 })
  return { cancelled: true, note: "cancelled at Amazon" }
}
