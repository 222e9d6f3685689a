/**
 * The mapping file: one row per Amazon listing with the store variant it sells. Exported for editing in
 * a spreadsheet and imported back as a preview of link / unlink changes. Pure: the caller reads the
 * listings and variants the rows name and writes the changes (through the batch link workflow).
 */
import { CsvFormatError, writeCsv, type ParsedCsv } from "./csv"
import { planLinkChanges, type LinkChangeRequest, type LinkStateListing, type LinkStateVariant } from "./plan-link-changes"

export const MAPPING_COLUMNS = [
  "account_id",
  "marketplace_id",
  "seller_sku",
  "fulfillment_channel",
  "asin",
  "item_name",
  "variant_sku",
  "variant_id",
] as const

/** At most this many rows per import, and this many characters of CSV. */
export const MAPPING_IMPORT_MAX_ROWS = 5000
export const MAPPING_IMPORT_MAX_CHARS = 2 * 1024 * 1024

export interface MappingExportRow {
  account_id: string
  marketplace_id: string
  seller_sku: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  asin: string | null
  item_name: string | null
  variant_sku: string | null
  variant_id: string | null
}

/** The export file. Amazon's item name is the one cell not written by the merchant: neutralised as a formula. */
export function mappingCsv(rows: readonly MappingExportRow[]): string {
  return writeCsv(
    MAPPING_COLUMNS,
    rows.map((r) => MAPPING_COLUMNS.map((c) => r[c])),
    ["item_name"]
  )
}

export type MappingAction = "link" | "unlink" | "unchanged" | "error"

/** One row of the import file, read and checked on its own. */
export interface MappingRow {
  line: number
  account_id: string | null
  marketplace_id: string
  seller_sku: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  variant_sku: string | null
  variant_id: string | null
  error: string | null
}

/** The identity of a listing: account, marketplace, SKU, channel (amazon_listing's unique key). */
export function listingKey(l: { account_id: string; marketplace_id: string; seller_sku: string; fulfillment_channel: string }): string {
  return `${l.account_id}\u0000${l.marketplace_id}\u0000${l.seller_sku}\u0000${l.fulfillment_channel}`
}

/**
 * Reads the rows of a parsed file. The header needs seller_sku, marketplace_id and variant_sku or
 * variant_id (other columns, such as the export's asin and item_name, are ignored). A row without
 * account_id belongs to the only account; with several accounts it must name one. A listing named twice
 * is an error on the later line.
 */
export function readMappingRows(parsed: ParsedCsv, accountIds: readonly string[]): MappingRow[] {
  const missing = ["seller_sku", "marketplace_id"].filter((c) => !parsed.header.includes(c))
  if (missing.length) {
    throw new CsvFormatError(`The header line has no ${missing.join(" or ")} column (expected: ${MAPPING_COLUMNS.join(", ")}).`)
  }
  if (!parsed.header.includes("variant_sku") && !parsed.header.includes("variant_id")) {
    throw new CsvFormatError("The header line needs a variant_sku or a variant_id column (empty = unlink the listing).")
  }
  const firstLine = new Map<string, number>()
  return parsed.rows.map(({ line, cells }) => {
    const channel = (cells.fulfillment_channel || "MERCHANT").toUpperCase()
    const row: MappingRow = {
      line,
      account_id: cells.account_id || (accountIds.length === 1 ? accountIds[0] : null),
      marketplace_id: cells.marketplace_id ?? "",
      seller_sku: cells.seller_sku ?? "",
      fulfillment_channel: channel === "AMAZON" ? "AMAZON" : "MERCHANT",
      variant_sku: cells.variant_sku || null,
      variant_id: cells.variant_id || null,
      error: null,
    }
    if (!row.seller_sku) row.error = "seller_sku is empty."
    else if (!row.marketplace_id) row.error = "marketplace_id is empty."
    else if (channel !== "MERCHANT" && channel !== "AMAZON") row.error = `fulfillment_channel must be MERCHANT or AMAZON, not "${cells.fulfillment_channel}".`
    else if (!row.account_id) row.error = `account_id is empty and there are ${accountIds.length} Amazon accounts: name the account.`
    else if (!accountIds.includes(row.account_id)) row.error = `Amazon account ${row.account_id} does not exist.`
    if (row.error || !row.account_id) return row
    const key = listingKey({ ...row, account_id: row.account_id })
    const first = firstLine.get(key)
    if (first !== undefined) row.error = `Duplicate of line ${first}: each listing may appear once.`
    else firstLine.set(key, line)
    return row
  })
}

export interface MappingPreviewRow {
  line: number
  seller_sku: string
  marketplace_id: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  account_id: string | null
  action: MappingAction
  listing_id?: string
  /** The variant the listing is linked to afterwards (link, unchanged). */
  variant_sku?: string | null
  variant_id?: string
  /** The variant it is linked to now (unlink, a link that replaces one). */
  current_variant_sku?: string | null
  error?: string
}

export interface MappingPreview {
  rows: MappingPreviewRow[]
  totals: { rows: number; link: number; unlink: number; unchanged: number; error: number }
  /** The changes to apply when no row is an error. */
  changes: LinkChangeRequest
}

/** What the caller read for the rows: listings by key, variants by SKU and by id, with their current links. */
export interface MappingState {
  listing_id_by_key: ReadonlyMap<string, string>
  listings: ReadonlyMap<string, LinkStateListing>
  variant_id_by_sku: ReadonlyMap<string, string>
  variants: ReadonlyMap<string, LinkStateVariant>
}

/**
 * Decides each row's action (link, unlink, unchanged) or error: unknown listing, unknown variant,
 * variant_sku and variant_id naming two variants, or a link the single link would refuse (checked on the
 * state after the whole file, see plan-link-changes.ts).
 */
export function planMappingImport(rows: readonly MappingRow[], state: MappingState): MappingPreview {
  const preview: MappingPreviewRow[] = []
  const changes: LinkChangeRequest = { link: [], unlink: [] }
  const rowOfListing = new Map<string, MappingPreviewRow>()
  const skuOf = (variantId: string | null) => (variantId ? state.variants.get(variantId)?.sku ?? null : null)

  for (const r of rows) {
    const out: MappingPreviewRow = {
      line: r.line,
      seller_sku: r.seller_sku,
      marketplace_id: r.marketplace_id,
      fulfillment_channel: r.fulfillment_channel,
      account_id: r.account_id,
      action: "error",
    }
    preview.push(out)
    if (r.error || !r.account_id) {
      out.error = r.error ?? "account_id is empty."
      continue
    }
    const listingId = state.listing_id_by_key.get(listingKey({ ...r, account_id: r.account_id }))
    const listing = listingId ? state.listings.get(listingId) : undefined
    if (!listing) {
      out.error = `No ${r.fulfillment_channel} listing ${r.seller_sku} in marketplace ${r.marketplace_id} of account ${r.account_id}: import the listings from Amazon first.`
      continue
    }
    out.listing_id = listing.id
    const bySku = r.variant_sku ? state.variant_id_by_sku.get(r.variant_sku) : undefined
    if (r.variant_sku && !bySku) {
      out.error = `No variant has the SKU ${r.variant_sku}.`
      continue
    }
    if (r.variant_id && !state.variants.has(r.variant_id)) {
      out.error = `Product variant with id: ${r.variant_id} was not found.`
      continue
    }
    if (bySku && r.variant_id && bySku !== r.variant_id) {
      out.error = `variant_sku ${r.variant_sku} and variant_id ${r.variant_id} name two different variants: clear one of them.`
      continue
    }
    const desired = bySku ?? r.variant_id ?? null
    out.current_variant_sku = skuOf(listing.variant_id)
    if (desired === null) {
      out.action = listing.variant_id ? "unlink" : "unchanged"
      if (listing.variant_id) changes.unlink.push(listing.id)
    } else {
      out.variant_id = desired
      out.variant_sku = skuOf(desired)
      out.action = desired === listing.variant_id ? "unchanged" : "link"
      if (out.action === "link") changes.link.push({ listing_id: listing.id, variant_id: desired })
    }
    rowOfListing.set(listing.id, out)
  }

  const plan = planLinkChanges(changes, state.listings, state.variants)
  for (const e of plan.errors) {
    const row = rowOfListing.get(e.listing_id)
    if (row) {
      row.action = "error"
      row.error = e.message
    }
  }
  const count = (a: MappingAction) => preview.filter((p) => p.action === a).length
  return {
    rows: preview,
    totals: { rows: preview.length, link: count("link"), unlink: count("unlink"), unchanged: count("unchanged"), error: count("error") },
    changes,
  }
}
