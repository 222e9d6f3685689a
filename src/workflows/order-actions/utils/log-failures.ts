import type AmazonModuleService from "../../../modules/amazon/service"
import { ORDER_ACTIONS_STREAM } from "../constants"
import type { OrderActionRow } from "./action-queries"

/** Failed rows logged one by one; beyond this a run writes one summary entry (a FATAL feed of thousands). */
const ONE_BY_ONE = 20

export interface ActionFailure {
  row: Pick<OrderActionRow, "id" | "kind" | "order_id" | "amazon_order_id" | "package_reference" | "fulfillment_id">
  code: string
  message: string
}

function what(row: ActionFailure["row"]): string {
  return row.kind === "cancel"
    ? `Cancellation of Amazon order ${row.amazon_order_id}`
    : `Shipment confirmation of Amazon order ${row.amazon_order_id} (package ${row.package_reference})`
}

/**
 * Writes failed order actions to the sync log, where the dashboard shows them: one entry per row (with the
 * order, so the admin can open it), or, for a large batch, one entry naming how many failed and the first
 * reason (every row keeps its own error for the order page).
 */
export async function logActionFailures(amazon: AmazonModuleService, accountId: string, failures: ActionFailure[], where = ""): Promise<void> {
  if (failures.length > ONE_BY_ONE) {
    const first = failures[0]
    await amazon.recordSyncLog({
      account_id: accountId,
      stream: ORDER_ACTIONS_STREAM,
      level: "error",
      code: first.code,
      message: `${failures.length} shipment confirmation(s)/cancellation(s) failed${where}; the first: ${what(first.row)}: ${first.message} Each order's Amazon panel shows its own reason.`,
      context: { action_ids: failures.slice(0, 100).map((f) => f.row.id), order_ids: failures.slice(0, 100).map((f) => f.row.order_id) },
    })
    return
  }
  for (const { row, code, message } of failures) {
    await amazon.recordSyncLog({
      account_id: accountId,
      stream: ORDER_ACTIONS_STREAM,
      level: "error",
      code,
      message: `${what(row)} failed${where}: ${message}`,
      context: { order_id: row.order_id, amazon_order_id: row.amazon_order_id, action_id: row.id, fulfillment_id: row.fulfillment_id },
    })
  }
}
