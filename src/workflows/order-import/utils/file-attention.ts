import type AmazonModuleService from "../../../modules/amazon/service"
import { ORDERS_STREAM } from "../constants"

export interface FileAmazonOrderAttentionInput {
  account_id: string
  marketplace_id: string
  amazon_order_id: string | null
  /** AttentionCode of lib/amazon/orders/decide-import.ts, e.g. UNKNOWN_SKU, IMPORT_FAILED. */
  code: string
  reason: string
  /** The order as Amazon sent it: kept for review and for the retry. */
  payload: unknown
  last_updated_time: string | null
  status?: string | null
  fulfilled_by?: string | null
}

/**
 * Files an Amazon order the import could not (fully) apply: the amazon_order row gets
 * `import_status: "needs_attention"` with the code, the reason and the payload (so the admin can read
 * it and retry), and the sync log gets an entry. No Medusa order is created or changed here.
 *
 * `amazon_updated_at` becomes the version that was seen: the poll does not try the same version again,
 * except for unexpected failures (IMPORT_FAILED), which are retried a few times (see needsApply).
 */
export async function fileAmazonOrderAttention(amazon: AmazonModuleService, input: FileAmazonOrderAttentionInput): Promise<string | null> {
  const level = input.code === "IMPORT_FAILED" ? "error" : "warn"
  if (!input.amazon_order_id) {
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: ORDERS_STREAM,
      level: "error",
      code: input.code,
      message: `An Amazon order without a usable order id was skipped: ${input.reason}`,
      context: { marketplace_id: input.marketplace_id },
    })
    return null
  }
  const [existing] = await amazon.listAmazonOrders({ amazon_order_id: input.amazon_order_id }, { take: 1 })
  const seen = input.last_updated_time ? new Date(input.last_updated_time) : null
  const fields = {
    import_status: "needs_attention" as const,
    attention_code: input.code,
    attention_reason: input.reason.slice(0, 2000),
    payload: input.payload as Record<string, unknown>,
  }
  let id: string
  if (existing) {
    const updated = await amazon.updateAmazonOrders({
      id: existing.id,
      ...fields,
      attempts: (existing.attempts ?? 0) + 1,
      ...(seen ? { amazon_updated_at: seen } : {}),
      ...(input.status ? { status: input.status } : {}),
    })
    id = updated.id
  } else {
    const created = await amazon.createAmazonOrders({
      account_id: input.account_id,
      amazon_order_id: input.amazon_order_id,
      marketplace_id: input.marketplace_id,
      status: input.status ?? "UNKNOWN",
      fulfillment_channel: input.fulfilled_by === "AMAZON" ? "AMAZON" : "MERCHANT",
      // Required column; the epoch means "no version applied" when Amazon's own time was unreadable.
      amazon_updated_at: seen ?? new Date(0),
      attempts: 1,
      ...fields,
    })
    id = created.id
  }
  await amazon.recordSyncLog({
    account_id: input.account_id,
    stream: ORDERS_STREAM,
    level,
    code: input.code,
    message: `Amazon order ${input.amazon_order_id} needs attention: ${input.reason}`,
    context: { amazon_order_id: input.amazon_order_id, amazon_order_record_id: id, marketplace_id: input.marketplace_id },
  })
  return id
}
