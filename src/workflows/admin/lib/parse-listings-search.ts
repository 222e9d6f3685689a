/**
 * Turns searchListingsItems pages (Listings Items API 2021-08-01) into the listing rows the plugin keeps.
 * Pure: no Medusa imports, no I/O, so the rules are unit-tested on recorded shapes.
 */

export interface ImportedListing {
  marketplace_id: string
  seller_sku: string
  asin: string | null
  product_type: string
  /** MERCHANT = the DEFAULT (merchant-fulfilled) channel; AMAZON = an AMAZON_* (FBA) channel. */
  fulfillment_channel: "MERCHANT" | "AMAZON"
  item_name: string | null
  created_date: string | null
}

export interface ParsedListingsPage {
  items: ImportedListing[]
  /** Items on the page as Amazon sent them (before the marketplace filter and the channel split). */
  item_count: number
  next_token: string | null
  number_of_results: number
  /** createdDate of the last item of the page (the next window starts there when paging runs out). */
  last_created_date: string | null
}

export class ListingsShapeError extends Error {
  readonly code = "UNEXPECTED_LISTINGS_SHAPE"
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

function str(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null
}

/** The channels an item is offered on: DEFAULT → MERCHANT, AMAZON_* → AMAZON; none known → MERCHANT. */
export function channelsOf(item: Record<string, unknown>): ("MERCHANT" | "AMAZON")[] {
  const fa = item.fulfillmentAvailability
  const out = new Set<"MERCHANT" | "AMAZON">()
  if (Array.isArray(fa)) {
    for (const entry of fa) {
      const code = isRecord(entry) ? str(entry.fulfillmentChannelCode) : null
      if (!code) continue
      out.add(code === "DEFAULT" ? "MERCHANT" : code.startsWith("AMAZON") ? "AMAZON" : "MERCHANT")
    }
  }
  if (!out.size) {
    // An offer without availability yet is merchant-fulfilled until Amazon says otherwise.
    out.add("MERCHANT")
  }
  return [...out]
}

/**
 * Parses one page for one marketplace. Only summaries of `marketplaceId` become rows (an item of a unified
 * SKU lists every marketplace it is offered in). Throws ListingsShapeError on a body that is not a
 * search result, instead of importing garbage.
 */
export function parseListingsSearchPage(body: unknown, marketplaceId: string): ParsedListingsPage {
  if (!isRecord(body) || !Array.isArray(body.items) || typeof body.numberOfResults !== "number") {
    throw new ListingsShapeError("searchListingsItems answered without items[] / numberOfResults")
  }
  const items: ImportedListing[] = []
  let lastCreated: string | null = null
  for (const raw of body.items) {
    if (!isRecord(raw) || !str(raw.sku)) {
      throw new ListingsShapeError("a listings item has no sku")
    }
    const sku = raw.sku as string
    const summaries = Array.isArray(raw.summaries) ? raw.summaries.filter(isRecord) : []
    const summary = summaries.find((s) => s.marketplaceId === marketplaceId) ?? (summaries.length ? undefined : null)
    if (summary === undefined) {
      // offered only in other marketplaces
      continue
    }
    lastCreated = str(summary?.createdDate) ?? lastCreated
    for (const channel of channelsOf(raw)) {
      items.push({
        marketplace_id: marketplaceId,
        seller_sku: sku,
        asin: str(summary?.asin),
        product_type: str(summary?.productType) ?? "PRODUCT",
        fulfillment_channel: channel,
        item_name: str(summary?.itemName),
        created_date: str(summary?.createdDate),
      })
    }
  }
  const pagination = isRecord(body.pagination) ? body.pagination : {}
  return {
    items,
    item_count: body.items.length,
    next_token: str(pagination.nextToken),
    number_of_results: body.numberOfResults,
    last_created_date: lastCreated,
  }
}

/**
 * Whether another createdDate window is needed after a search ran out of pages: Amazon stops paging at
 * 1,000 results, so a bigger catalog is read in windows of createdAfter = the last createdDate seen
 * (sorted by createdDate ascending). A window that made no progress ends the import instead of looping.
 */
export function nextWindowStart(opts: {
  number_of_results: number
  seen_in_window: number
  last_created_date: string | null
  window_start: string | null
}): string | null {
  if (opts.number_of_results <= opts.seen_in_window) return null
  if (!opts.last_created_date || opts.last_created_date === opts.window_start) return null
  return opts.last_created_date
}
