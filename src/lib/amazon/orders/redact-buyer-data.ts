/**
 * Removes the buyer's personal data from a stored Orders v2026-01-01 `Order` payload (amazon_order.payload).
 *
 * Amazon's Data Protection Policy lets a seller keep buyer data only as long as it is needed to fulfil the
 * order (and 30 days after shipment at most by default); the Medusa order already holds what the store
 * needs. What the import and its retries need from the payload stays: ids, sales channel, items, SKUs,
 * quantities, prices and proceeds, statuses, dates, fulfillment data, cancellations, packages (tracking,
 * items) — a redacted payload still parses (parsers/parse-order.ts treats buyer and recipient as optional).
 *
 * Removed, with the field of the generated model (generated/orders-v2026-01-01.ts) that holds it:
 * - `buyer`: Buyer.buyerName, buyerEmail, buyerCompanyName, buyerPurchaseOrderNumber
 * - `recipient`: Recipient.deliveryAddress (CustomerAddress: name, company, street, city, postal code,
 *   phone …) and Recipient.deliveryPreference (drop-off and address instructions)
 * - `tax.taxRegistrations[]` entries that are not the merchant's or the marketplace's (entityType BUYER:
 *   legal name, tax number, taxRegistrationAddress)
 * - `orderItems[].fulfillment.packing.giftOption.giftMessage`: the buyer's own words
 * - `orderItems[].product.customization.customizedUrl`: the buyer's personalisation (Amazon Custom)
 * - `packages[].shipFromAddress`: packages keep no address at all
 *
 * The keys are removed wherever they occur, so a payload of an unexpected shape (kept because it could
 * not be parsed) loses them too. Pure: data in, data out; the input is not changed.
 */

/** Keys whose whole value is buyer data (or an address), wherever they appear in the payload. */
const BUYER_DATA_KEYS: ReadonlySet<string> = new Set([
  "buyer",
  "recipient",
  "deliveryAddress",
  "deliveryPreference",
  "buyerName",
  "buyerEmail",
  "buyerCompanyName",
  "buyerPurchaseOrderNumber",
  "taxRegistrationAddress",
  "giftMessage",
  "customizedUrl",
  "shipFromAddress",
])

/** OrderTaxRegistration.entityType values that are not the buyer. */
const NON_BUYER_TAX_ENTITIES: ReadonlySet<string> = new Set(["MERCHANT", "MARKETPLACE"])

/** Deeper than any Amazon order; a payload nested further is cut there rather than walked. */
const MAX_DEPTH = 64

export interface RedactBuyerDataResult<T = unknown> {
  /** A copy of the payload without buyer data (the same reference when nothing was removed). */
  payload: T
  /** JSON paths of what was removed (never the values), e.g. `buyer`, `tax.taxRegistrations[0]`. */
  removed: string[]
}

function childPath(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
}

function redact(value: unknown, path: string, depth: number, removed: string[]): unknown {
  if (value === null || typeof value !== "object") {
    return value
  }
  if (depth > MAX_DEPTH) {
    removed.push(path)
    return null
  }
  if (Array.isArray(value)) {
    let changed = false
    const out = value.map((item, i) => {
      const next = redact(item, childPath(path, i), depth + 1, removed)
      changed ||= next !== item
      return next
    })
    return changed ? out : value
  }
  let changed = false
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const p = childPath(path, key)
    if (BUYER_DATA_KEYS.has(key)) {
      removed.push(p)
      changed = true
      continue
    }
    let next: unknown
    if (key === "taxRegistrations" && Array.isArray(child)) {
      const kept = child.filter((entry, i) => {
        const keep = isRecord(entry) && typeof entry.entityType === "string" && NON_BUYER_TAX_ENTITIES.has(entry.entityType)
        if (!keep) {
          removed.push(childPath(p, i))
        }
        return keep
      })
      next = redact(kept.length === child.length ? child : kept, p, depth + 1, removed)
    } else {
      next = redact(child, p, depth + 1, removed)
    }
    changed ||= next !== child
    out[key] = next
  }
  return changed ? out : value
}

/**
 * The payload without buyer data, and the paths of what was removed (empty when there was none: running
 * it again on its own output changes nothing).
 *
 * @example
 * const { payload, removed } = redactBuyerData(row.payload)
 * // removed: ["buyer", "recipient"]
 */
export function redactBuyerData<T = unknown>(payload: T): RedactBuyerDataResult<T> {
  const removed: string[] = []
  const out = redact(payload, "", 0, removed) as T
  return { payload: removed.length ? out : payload, removed }
}
