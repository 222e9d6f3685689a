/**
 * What the order page shows of an Amazon order beside its actions: the latest ship date and a buyer's
 * standing cancellation request. Pure; reads the order's metadata and the Amazon payload kept at import.
 */
import { parseOrder } from "../parsers/parse-order"

export interface AmazonOrderSummary {
  /** Amazon's "ship by" date (ISO 8601), or null when Amazon gave none. */
  latest_ship_date: string | null
  /** A buyer asked to cancel and nobody has acted yet (merchant-fulfilled orders: the merchant decides). */
  cancellation_request: { requested_by: string | null; reason: string | null } | null
}

export function amazonOrderSummary(input: {
  metadata: Record<string, unknown> | null | undefined
  payload: unknown
  fulfilled_by_amazon: boolean
}): AmazonOrderSummary {
  let parsed: ReturnType<typeof parseOrder> | null = null
  if (input.payload && typeof input.payload === "object") {
    try {
      parsed = parseOrder(input.payload)
    } catch {
      // A payload we cannot read (e.g. stored by an older version) only hides these two facts.
    }
  }
  const meta = input.metadata?.amazon_latest_ship_date
  const latest = typeof meta === "string" && meta ? meta : parsed?.shipBy?.latest ?? null
  const c = parsed?.cancellation
  return {
    latest_ship_date: latest,
    cancellation_request:
      c?.state === "REQUESTED" && !input.fulfilled_by_amazon ? { requested_by: c.requestedBy ?? null, reason: c.reason ?? null } : null,
  }
}
