import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { fillReservationIds } from "../../../lib/amazon/orders"
import type { AppliedState, StockWarning } from "../../../lib/amazon/orders"
import type { ParsedOrderCancellation } from "../../../lib/amazon/parsers/parse-order"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { ORDER_STOCK_CHANGE_REASON, ORDERS_STREAM } from "../constants"

export const recordAmazonOrderImportStepId = "amazon-record-order-import"

export interface RecordAmazonOrderImportStepInput {
  account_id: string
  marketplace_id: string
  amazon_order_id: string
  status: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  amazon_created_at: string | null
  /** Amazon's lastUpdatedTime of the version applied: the dedupe key with the order id. */
  amazon_updated_at: string
  import_status: "pending" | "imported"
  order_id: string | null
  /** The stock plan's next `applied`, with placeholders for the reservations just created. */
  applied: AppliedState
  created_reservations: { id: string; inventory_item_id: string; metadata?: Record<string, unknown> | null }[] | null
  payload: unknown
  warnings: StockWarning[]
  cancellation: ParsedOrderCancellation | null
  /** Variants whose store stock this version moved: queued for the stock push with the record. */
  variant_ids?: string[]
}

type Snapshot = { id: string; created: boolean; previous: Record<string, unknown> | null }

/**
 * Records a version of an Amazon order as applied: status, fulfillment channel, Amazon's times, the Medusa
 * order, what was done to stock (`applied`, with the new reservation ids) and the payload. Written after
 * the stock moved, so a replay of this version is skipped and the next version only moves the difference.
 * Stock warnings and a standing buyer cancellation request go to the sync log, where the admin sees them.
 *
 * @example
 * recordAmazonOrderImportStep({ ...order facts, applied: plan.applied, created_reservations, payload })
 */
export const recordAmazonOrderImportStep = createStep(
  recordAmazonOrderImportStepId,
  async (input: RecordAmazonOrderImportStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const applied = fillReservationIds(input.applied, input.created_reservations ?? [])
    const fields = {
      status: input.status,
      fulfillment_channel: input.fulfillment_channel,
      amazon_created_at: input.amazon_created_at ? new Date(input.amazon_created_at) : null,
      amazon_updated_at: new Date(input.amazon_updated_at),
      import_status: input.import_status,
      attention_code: null,
      attention_reason: null,
      order_id: input.order_id,
      applied: applied as unknown as Record<string, unknown>,
      payload: input.payload as Record<string, unknown>,
    }
    const [existing] = await amazon.listAmazonOrders({ amazon_order_id: input.amazon_order_id }, { take: 1 })
    const stock_changes = (input.variant_ids ?? []).map((variant_id) => ({ variant_id, reason: ORDER_STOCK_CHANGE_REASON }))
    let snapshot: Snapshot
    if (existing) {
      const previous = Object.fromEntries(Object.keys(fields).map((k) => [k, (existing as Record<string, unknown>)[k]]))
      // `attempts` counts failures since the last success (it bounds the automatic retries).
      await amazon.recordAmazonOrderVersions({ update: [{ id: existing.id, ...fields, attempts: 0 }], stock_changes })
      snapshot = { id: existing.id, created: false, previous: { ...previous, attempts: existing.attempts } }
    } else {
      const { created } = await amazon.recordAmazonOrderVersions({
        create: [{ account_id: input.account_id, amazon_order_id: input.amazon_order_id, marketplace_id: input.marketplace_id, attempts: 0, ...fields }],
        stock_changes,
      })
      snapshot = { id: created[0].id, created: true, previous: null }
    }

    await logOrderImportNotes(amazon, input, snapshot.id)
    return new StepResponse({ record_id: snapshot.id, applied }, snapshot)
  },
  async (snapshot, { container }) => {
    if (!snapshot) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    if (snapshot.created) {
      await amazon.deleteAmazonOrders(snapshot.id)
    } else if (snapshot.previous) {
      await amazon.updateAmazonOrders({ id: snapshot.id, ...snapshot.previous } as never)
    }
  }
)

/**
 * What the admin must know of an applied order version, written to the sync log: stock warnings (a line
 * whose stock could not be reserved) and a buyer's standing cancellation request.
 */
export async function logOrderImportNotes(
  amazon: AmazonModuleService,
  input: Pick<RecordAmazonOrderImportStepInput, "account_id" | "marketplace_id" | "amazon_order_id" | "fulfillment_channel" | "warnings" | "cancellation">,
  recordId: string
): Promise<void> {
  const context = { amazon_order_id: input.amazon_order_id, amazon_order_record_id: recordId, marketplace_id: input.marketplace_id }
  for (const w of input.warnings) {
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: ORDERS_STREAM,
      level: "warn",
      code: w.code,
      message: `Amazon order ${input.amazon_order_id}, SKU ${w.seller_sku}: ${w.message}; its stock was not reserved`,
      context: { ...context, seller_sku: w.seller_sku },
    })
  }
  if (input.cancellation?.state === "REQUESTED" && input.fulfillment_channel === "MERCHANT") {
    // Amazon leaves the decision to the merchant: the reservation stays until the order is cancelled.
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: ORDERS_STREAM,
      level: "warn",
      code: "BUYER_CANCELLATION_REQUESTED",
      message: `The buyer asked to cancel Amazon order ${input.amazon_order_id}${
        input.cancellation.reason ? ` (${input.cancellation.reason})` : ""
      }; accept it on the order's Amazon panel in Medusa (Cancel on Amazon), or ship the order`,
      context,
    })
  }
}
