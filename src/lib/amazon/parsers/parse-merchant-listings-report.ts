/**
 * Parser for Amazon's "All Listings Report", GET_MERCHANT_LISTINGS_ALL_DATA (FACTS §12): a tab-separated
 * flat file, first line the header, one listing per line. Pure: text in, rows out.
 *
 * Hand-rolled rather than csv-parse because the file is not CSV: Amazon does not quote or escape cells,
 * so a `"` in an item name is a plain character. csv-parse would need `quote: false` to agree, and then
 * all it adds is a line and tab split, at several times the cost: 100,000 rows of the documented header
 * (29 MB) took ~0.2 s here against ~1.5 s for csv-parse (quote: false, columns: true), measured once on
 * the dev machine.
 *
 * What it tolerates, each seen in Amazon's real files:
 * - columns found by their header name, never by position: Amazon adds, drops and renames columns
 *   (a missing `status`, amzn/selling-partner-api-models#5216 and #2055; "Deprecated column" placeholders
 *   and the British `fulfilment-channel` in some EU accounts, #4140 and #3999; Japanese headers in JP);
 * - CRLF or LF line ends, a UTF-8 BOM, blank lines, rows shorter than the header (missing trailing
 *   cells read as empty);
 * - an empty quantity (Amazon-fulfilled rows: fulfillment-channel AMAZON_EU, AMAZON_NA, … leave it
 *   blank; FBA stock is read from the FBA Inventory API instead) → `quantity: null`, never 0;
 * - the same SKU on several rows: every row is kept and the SKU listed in `duplicateSkus`; which row
 *   counts is the consumer's decision (drift.ts).
 * A cell it cannot read (a quantity that is not a whole number, an unknown fulfillment channel, a row
 * without a SKU) is recorded in `issues` and does not stop the rest of the file: one odd row must not
 * hide the other 99,999.
 */
import { AmazonPayloadError } from "./payload-reader"

export type MerchantListingsParseErrorCode =
  /** No header line at all. */
  | "EMPTY_DOCUMENT"
  /** The header lacks a column the parser needs (seller-sku, quantity, fulfillment-channel). */
  | "MISSING_COLUMN"

export class MerchantListingsParseError extends AmazonPayloadError<MerchantListingsParseErrorCode> {
  readonly name = "MerchantListingsParseError"
}

export type MerchantListingIssueCode =
  | "MISSING_SKU"
  | "INVALID_QUANTITY"
  /** A fulfillment-channel value that is neither DEFAULT/MERCHANT/blank nor AMAZON_*: read as MERCHANT. */
  | "UNKNOWN_FULFILLMENT_CHANNEL"

export interface MerchantListingIssue {
  /** 1-based line number in the document (the header is line 1). */
  line: number
  code: MerchantListingIssueCode
  /** The cell as Amazon wrote it, at most 100 characters. */
  value: string
}

/** "MERCHANT" = fulfilled by the seller (Amazon writes DEFAULT); "AMAZON" = FBA (AMAZON_EU, AMAZON_NA, …). */
export type ListingFulfillmentChannel = "MERCHANT" | "AMAZON"

export interface MerchantListingRow {
  sellerSku: string
  /** asin1; null when the column is missing or empty. */
  asin: string | null
  /** What Amazon holds for a seller-fulfilled listing; null when blank (Amazon-fulfilled) or unreadable. */
  quantity: number | null
  fulfillmentChannel: ListingFulfillmentChannel
  /** The fulfillment-channel cell as written (DEFAULT, AMAZON_EU, …). */
  fulfillmentChannelCode: string
  /** Amazon's status cell as written (Active, Inactive, Incomplete, …); null when the column is missing or empty. */
  status: string | null
  itemName: string | null
  /** listing-id; null when the column is missing or empty. */
  listingId: string | null
  /** 1-based line number in the document. */
  line: number
}

export interface ParsedMerchantListingsReport {
  rows: MerchantListingRow[]
  /** SKUs found on more than one row, each once, in order of first repetition. */
  duplicateSkus: string[]
  issues: MerchantListingIssue[]
  /** The header cells as written (BOM removed), for diagnostics. */
  columns: string[]
}

export type MerchantListingField = "sellerSku" | "quantity" | "fulfillmentChannel" | "asin" | "status" | "itemName" | "listingId"

/**
 * Header names per field, lower-cased, first match wins. The Japanese names come from sellers' code
 * reading JP reports, not from Amazon's documentation (which lists only the English ones).
 */
export const MERCHANT_LISTINGS_COLUMNS: Readonly<Record<MerchantListingField, readonly string[]>> = {
  sellerSku: ["seller-sku", "出品者sku"],
  quantity: ["quantity", "数量"],
  fulfillmentChannel: ["fulfillment-channel", "fulfilment-channel", "フルフィルメント・チャンネル"],
  asin: ["asin1"],
  status: ["status", "ステータス"],
  itemName: ["item-name", "商品名"],
  listingId: ["listing-id", "出品id"],
}

const REQUIRED: readonly MerchantListingField[] = ["sellerSku", "quantity", "fulfillmentChannel"]

const WHOLE_NUMBER = /^\d+$/
const BLANK = /^\s*$/

/**
 * Parses a GET_MERCHANT_LISTINGS_ALL_DATA document (already gunzipped and decoded, see
 * reports/fetch-report.ts). Throws MerchantListingsParseError only when the document as a whole is unusable
 * (no header, a needed column missing); row problems go to `issues`.
 *
 * @example
 * const { rows, issues } = parseMerchantListingsReport(doc.text)
 */
export function parseMerchantListingsReport(text: string): ParsedMerchantListingsReport {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const lines = body.split("\n")
  let first = 0
  while (first < lines.length && BLANK.test(lines[first])) {
    first++
  }
  if (first === lines.length) {
    throw new MerchantListingsParseError("EMPTY_DOCUMENT", "", "The report has no header line")
  }
  const columns = stripCr(lines[first]).split("\t")
  const index = columnIndexes(columns)

  const rows: MerchantListingRow[] = []
  const issues: MerchantListingIssue[] = []
  const seen = new Set<string>()
  const duplicates = new Set<string>()
  // Only the cells of the needed columns are cut out of a line (a full split would make ~30 strings per
  // row, most of them long descriptions nobody reads here).
  const wanted = (Object.keys(index) as MerchantListingField[]).map((field) => ({ field, at: index[field] as number })).sort((a, b) => a.at - b.at)
  const cells: Record<MerchantListingField, string> = { sellerSku: "", quantity: "", fulfillmentChannel: "", asin: "", status: "", itemName: "", listingId: "" }

  for (let n = first + 1; n < lines.length; n++) {
    const raw = stripCr(lines[n])
    if (BLANK.test(raw)) {
      continue
    }
    const line = n + 1
    readCells(raw, wanted, cells)
    // The SKU is kept exactly as written (no trim): it is the key the store matches on.
    const sellerSku = cells.sellerSku
    if (sellerSku.trim() === "") {
      issues.push({ line, code: "MISSING_SKU", value: clip(raw) })
      continue
    }

    const channelCode = cells.fulfillmentChannel.trim()
    const fulfillmentChannel = readChannel(channelCode)
    if (fulfillmentChannel === undefined) {
      issues.push({ line, code: "UNKNOWN_FULFILLMENT_CHANNEL", value: clip(channelCode) })
    }

    const quantityCell = cells.quantity.trim()
    let quantity: number | null = null
    if (quantityCell !== "") {
      if (WHOLE_NUMBER.test(quantityCell)) {
        quantity = Number(quantityCell)
      } else {
        issues.push({ line, code: "INVALID_QUANTITY", value: clip(quantityCell) })
      }
    }

    if (seen.has(sellerSku)) {
      duplicates.add(sellerSku)
    } else {
      seen.add(sellerSku)
    }
    rows.push({
      sellerSku,
      asin: orNull(cells.asin.trim()),
      quantity,
      // Unknown channels count as seller-fulfilled: a wrong guess then shows up in the drift check
      // instead of the listing being skipped as FBA without anyone noticing.
      fulfillmentChannel: fulfillmentChannel ?? "MERCHANT",
      fulfillmentChannelCode: channelCode,
      status: orNull(cells.status.trim()),
      itemName: orNull(cells.itemName),
      listingId: orNull(cells.listingId.trim()),
      line,
    })
  }
  return { rows, duplicateSkus: [...duplicates], issues, columns }
}

function columnIndexes(columns: string[]): Partial<Record<MerchantListingField, number>> {
  const byName = new Map<string, number>()
  columns.forEach((name, i) => {
    const key = name.trim().toLowerCase()
    if (!byName.has(key)) {
      byName.set(key, i)
    }
  })
  const index: Partial<Record<MerchantListingField, number>> = {}
  for (const field of Object.keys(MERCHANT_LISTINGS_COLUMNS) as MerchantListingField[]) {
    for (const name of MERCHANT_LISTINGS_COLUMNS[field]) {
      const i = byName.get(name)
      if (i !== undefined) {
        index[field] = i
        break
      }
    }
  }
  const missing = REQUIRED.filter((f) => index[f] === undefined)
  if (missing.length > 0) {
    throw new MerchantListingsParseError(
      "MISSING_COLUMN",
      "",
      `The report header has no ${missing.map((f) => MERCHANT_LISTINGS_COLUMNS[f][0]).join(", ")} column`
    )
  }
  return index
}

/**
 * Cuts the wanted cells (sorted by column) out of one line by walking its tabs. Cells past the end of a
 * short line are empty; a field whose column the header lacks stays empty.
 */
function readCells(raw: string, wanted: readonly { field: MerchantListingField; at: number }[], out: Record<MerchantListingField, string>): void {
  let column = 0
  let start = 0
  for (const { field, at } of wanted) {
    while (column < at && start !== -1) {
      const tab = raw.indexOf("\t", start)
      start = tab === -1 ? -1 : tab + 1
      column++
    }
    if (start === -1) {
      out[field] = ""
      continue
    }
    const end = raw.indexOf("\t", start)
    out[field] = end === -1 ? raw.slice(start) : raw.slice(start, end)
  }
}

function readChannel(code: string): ListingFulfillmentChannel | undefined {
  const upper = code.toUpperCase()
  if (upper === "" || upper === "DEFAULT" || upper === "MERCHANT") {
    return "MERCHANT"
  }
  if (upper.startsWith("AMAZON")) {
    return "AMAZON"
  }
  return undefined
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line
}

function orNull(value: string): string | null {
  return value === "" ? null : value
}

function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 99)}…` : value
}
