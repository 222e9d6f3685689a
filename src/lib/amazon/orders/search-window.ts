/**
 * The searchOrders polling window (FACTS.md §4, §11.6): poll by lastUpdatedTime, never by creation date
 * (status changes would be missed), start a little before the stored watermark (pages go missing at
 * window edges), and let Amazon choose the upper bound (now − 2 minutes), which it echoes back as
 * `lastUpdatedBefore`: that echo becomes the next watermark once every page is recorded.
 */
import type { components } from "../generated/orders-v2026-01-01"
import { join, OrderParseError, PayloadReader } from "../parsers/payload-reader"
import type { OrderParseErrorCode } from "../parsers/payload-reader"

type S = components["schemas"]

/** Default overlap subtracted from the watermark (settings.order_overlap_seconds). */
export const DEFAULT_ORDER_OVERLAP_SECONDS = 300
/** How far back the very first run of a marketplace looks. */
export const DEFAULT_ORDER_LOOKBACK_SECONDS = 24 * 3600
/** Amazon refuses a window that ends less than 2 minutes before the request (FACTS.md §4). */
export const AMAZON_MIN_LAG_MS = 2 * 60_000
/**
 * Every status: cancellations and shipments matter as much as new orders. PACKAGES carries the carrier
 * and tracking number of a merchant-fulfilled order's shipments (Amazon sends none for FBA orders).
 */
export const ORDER_INCLUDED_DATA = ["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "CANCELLATION", "PACKAGES"] as const
/** The largest page Amazon serves: fewer calls against a quota of one call per ~3 minutes. */
export const ORDER_PAGE_SIZE = 100

export interface SearchStartInput {
  /** The stored watermark (ISO), null on the first run. */
  watermark: string | Date | null | undefined
  overlapSeconds: number
  lookbackSeconds: number
  now: Date
}

/**
 * `lastUpdatedAfter` of a new window: watermark − overlap, or now − look-back on the first run. Never
 * later than now − 2 minutes (Amazon would refuse it), and never in the future whatever the clocks say.
 */
export function computeLastUpdatedAfter(input: SearchStartInput): string {
  const latest = input.now.getTime() - AMAZON_MIN_LAG_MS
  const watermark = input.watermark ? new Date(input.watermark).getTime() : NaN
  const start = Number.isFinite(watermark)
    ? watermark - input.overlapSeconds * 1000
    : input.now.getTime() - input.lookbackSeconds * 1000
  // Whole seconds: Amazon's timestamps are whole seconds, and a stable string keeps page tokens valid.
  return new Date(Math.floor(Math.min(start, latest) / 1000) * 1000).toISOString().replace(".000Z", "Z")
}

export interface SearchOrdersEnvelope {
  /** The orders of the page, unparsed: each is parsed on its own so one bad order cannot block the rest. */
  orders: unknown[]
  nextToken?: string
  lastUpdatedBefore?: string
}

const read = new PayloadReader<OrderParseErrorCode>((code, path, message) => {
  throw new OrderParseError(code, path, message)
})

/** Reads the page envelope of a searchOrders response (`orders`, `pagination.nextToken`, `lastUpdatedBefore`). */
export function readSearchOrdersEnvelope(input: unknown): SearchOrdersEnvelope {
  const o = read.record(input, "")
  const orders = read.requiredArray<S["SearchOrdersResponse"]>(o, "orders", "")
  const envelope: SearchOrdersEnvelope = { orders }
  const pagination = read.optionalRecord<S["SearchOrdersResponse"]>(o, "pagination", "")
  if (pagination !== undefined) {
    const token = read.optionalString<S["Pagination"]>(pagination, "nextToken", join("", "pagination"))
    if (token !== undefined && token !== "") {
      envelope.nextToken = token
    }
  }
  const before = read.optionalDateTime<S["SearchOrdersResponse"]>(o, "lastUpdatedBefore", "", "INVALID_DATE")
  if (before !== undefined) {
    envelope.lastUpdatedBefore = before
  }
  return envelope
}

/** The Amazon order id of an unparsed order, if it has a usable one (to file a parse failure under it). */
export function peekOrderId(raw: unknown): string | null {
  const id = (raw as { orderId?: unknown } | null)?.orderId
  return typeof id === "string" && id.trim() !== "" ? id : null
}

/**
 * The seller SKUs and buyer e-mail of an unparsed order: what two orders must not touch at the same time
 * when a page is applied in parallel (the same stock, the same customer record).
 */
export function peekOrderResources(raw: unknown): { skus: string[]; email: string | null } {
  const o = raw as { orderItems?: unknown; buyer?: { buyerEmail?: unknown } } | null
  const items = Array.isArray(o?.orderItems) ? o.orderItems : []
  const skus = items
    .map((i) => (i as { product?: { sellerSku?: unknown } } | null)?.product?.sellerSku)
    .filter((sku): sku is string => typeof sku === "string" && sku !== "")
  const email = o?.buyer?.buyerEmail
  return { skus: [...new Set(skus)], email: typeof email === "string" && email !== "" ? email.toLowerCase() : null }
}

/** The lastUpdatedTime of an unparsed order, if present (dedupe before the full parse). */
export function peekLastUpdatedTime(raw: unknown): string | null {
  const t = (raw as { lastUpdatedTime?: unknown } | null)?.lastUpdatedTime
  return typeof t === "string" && Number.isFinite(Date.parse(t)) ? t : null
}

/**
 * The next watermark once the last page is recorded: Amazon's echoed `lastUpdatedBefore`; without it,
 * the newest lastUpdatedTime seen (everything up to it is recorded) or the previous watermark.
 */
export function nextWatermark(input: {
  echoedBefore?: string | null
  newestSeen?: string | null
  previous?: string | Date | null
}): Date | null {
  if (input.echoedBefore) {
    return new Date(input.echoedBefore)
  }
  const candidates = [input.newestSeen, input.previous]
    .filter((v): v is string | Date => v !== null && v !== undefined)
    .map((v) => new Date(v).getTime())
    .filter((v) => Number.isFinite(v))
  return candidates.length ? new Date(Math.max(...candidates)) : null
}

/**
 * Whether a version of an order was already recorded: same id and a lastUpdatedTime not newer than the
 * one applied. Amazon re-sends unchanged orders in overlapping windows; they cost nothing.
 */
export function isVersionApplied(appliedUpdatedAt: string | Date | null | undefined, lastUpdatedTime: string): boolean {
  if (!appliedUpdatedAt) {
    return false
  }
  return new Date(appliedUpdatedAt).getTime() >= Date.parse(lastUpdatedTime)
}
