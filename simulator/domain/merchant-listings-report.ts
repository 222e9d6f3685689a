/**
 * GET_MERCHANT_LISTINGS_ALL_DATA ("All Listings Report"): Amazon's tab-separated flat file, one row per listing
 * of the seller in the report's one marketplace, with Amazon's header row. Built from the listings as they are
 * when processing finishes.
 *
 * Column values follow real reports (samples in public integrations, e.g. a UK row
 * `Vest␉␉0708QHIDPCS␉1234567␉20␉1␉08/07/2016 10:12:40 BST␉␉y␉3␉␉␉11␉␉␉␉B01I53BE4O␉␉␉␉␉␉680242554716␉␉␉0␉DEFAULT␉Migrated Template␉Active`
 * and US/UK FBA rows with an empty quantity and fulfillment-channel AMAZON_NA / AMAZON_EU):
 * - listing-id: MMDD of the open date + 7 characters; price without trailing zeros ("20", "15.69");
 * - quantity: the merchant (DEFAULT) quantity; empty for FBA listings (Amazon's stock is in FBA Inventory);
 * - item-is-marketplace `y`; product-id-type `1` (ASIN) with product-id = the ASIN; item-condition 11 = new;
 * - pending-quantity `0` for merchant-fulfilled rows, empty for FBA; merchant-shipping-group `Migrated Template`;
 * - status Active while the listing is buyable (stock > 0), else Inactive.
 * The text is encoded as Cp1252 (characters outside it become `?`), as Amazon sends it.
 */
import type { SimState } from "../state"
import type { SimListing } from "../types"
import { FULFILLMENT_AVAILABILITY, fbaChannel, mfnQuantity } from "./listing-patches"
import { listingStatus } from "./listing-view"
import type { ReportDocumentBuilder } from "./report-document"

export const MERCHANT_LISTINGS_ALL_DATA = "GET_MERCHANT_LISTINGS_ALL_DATA"

/** Amazon's header row, in order. */
export const MERCHANT_LISTINGS_COLUMNS = [
  "item-name",
  "item-description",
  "listing-id",
  "seller-sku",
  "price",
  "quantity",
  "open-date",
  "image-url",
  "item-is-marketplace",
  "product-id-type",
  "zshop-shipping-fee",
  "item-note",
  "item-condition",
  "zshop-category1",
  "zshop-browse-path",
  "zshop-storefront-feature",
  "asin1",
  "asin2",
  "asin3",
  "will-ship-internationally",
  "expedited-shipping",
  "zshop-boldface",
  "product-id",
  "bid-for-featured-placement",
  "add-delete",
  "pending-quantity",
  "fulfillment-channel",
  "merchant-shipping-group",
  "status",
] as const

/** The Content-Type the download carries (amzn/selling-partner-api-models#2748, #1517). */
export const FLAT_FILE_CONTENT_TYPE = "text/plain; charset=Cp1252"

/** Amazon's flat-file condition codes (11 = New). */
const CONDITION_CODES: Record<string, string> = {
  new_new: "11",
  new_open_box: "11",
  new_oem: "11",
  club_club: "11",
  refurbished_refurbished: "10",
  used_like_new: "1",
  used_very_good: "2",
  used_good: "3",
  used_acceptable: "4",
  collectible_like_new: "5",
  collectible_very_good: "6",
  collectible_good: "7",
  collectible_acceptable: "8",
}

/**
 * Time zone and date layout of the open-date column per marketplace country. Seen in reports: US
 * `2022-03-15 02:26:37 PDT`, IN `2021-06-02 15:25:33 IST`, UK `08/07/2016 10:12:40 BST`. Other marketplaces use
 * the year-first layout with their zone's abbreviation (simulator's choice; not verified).
 */
const OPEN_DATE_ZONES: Record<string, { timeZone: string; locale: string; dayFirst?: boolean }> = {
  US: { timeZone: "America/Los_Angeles", locale: "en-US" },
  CA: { timeZone: "America/Los_Angeles", locale: "en-US" },
  MX: { timeZone: "America/Los_Angeles", locale: "en-US" },
  BR: { timeZone: "America/Sao_Paulo", locale: "en-US" },
  GB: { timeZone: "Europe/London", locale: "en-GB", dayFirst: true },
  IE: { timeZone: "Europe/Dublin", locale: "en-GB" },
  TR: { timeZone: "Europe/Istanbul", locale: "en-GB" },
  AE: { timeZone: "Asia/Dubai", locale: "en-GB" },
  IN: { timeZone: "Asia/Kolkata", locale: "en-IN" },
  JP: { timeZone: "Asia/Tokyo", locale: "ja-JP" },
  AU: { timeZone: "Australia/Sydney", locale: "en-AU" },
  SG: { timeZone: "Asia/Singapore", locale: "en-SG" },
}
const CENTRAL_EUROPE = { timeZone: "Europe/Berlin", locale: "en-GB" }

const HOUR_MS = 3_600_000

/** Formats open dates; the zone offset and abbreviation are looked up once per hour of time, not per row. */
export class OpenDateFormatter {
  private readonly zone: { timeZone: string; locale: string; dayFirst?: boolean }
  private readonly parts: Intl.DateTimeFormat
  private readonly byHour = new Map<number, { offsetMs: number; abbreviation: string }>()

  constructor(countryCode: string | undefined) {
    this.zone = (countryCode && OPEN_DATE_ZONES[countryCode]) || CENTRAL_EUROPE
    this.parts = new Intl.DateTimeFormat(this.zone.locale, {
      timeZone: this.zone.timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "short",
    })
  }

  format(ms: number): { text: string; month: number; day: number } {
    const zone = this.zoneAt(ms)
    const local = new Date(Math.floor(ms / 1000) * 1000 + zone.offsetMs)
    const y = local.getUTCFullYear()
    const mo = local.getUTCMonth() + 1
    const d = local.getUTCDate()
    const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
    const date = this.zone.dayFirst ? `${pad(d)}/${pad(mo)}/${y}` : `${y}-${pad(mo)}-${pad(d)}`
    return { text: `${date} ${time} ${zone.abbreviation}`, month: mo, day: d }
  }

  private zoneAt(ms: number): { offsetMs: number; abbreviation: string } {
    const hour = Math.floor(ms / HOUR_MS)
    let zone = this.byHour.get(hour)
    if (!zone) {
      const at = hour * HOUR_MS
      const parts = Object.fromEntries(this.parts.formatToParts(new Date(at)).map((p) => [p.type, p.value]))
      const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
      zone = { offsetMs: asUtc - at, abbreviation: parts.timeZoneName ?? "UTC" }
      this.byHour.set(hour, zone)
    }
    return zone
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** Tabs and line breaks would break the flat file. */
function cell(value: string | undefined): string {
  return value === undefined ? "" : value.replace(/[\t\r\n]+/g, " ")
}

/** "12.90" → "12.9", "20.00" → "20", as the report prints prices. */
function priceText(amount: string | undefined): string {
  if (amount === undefined) return ""
  const n = Number(amount)
  return Number.isFinite(n) ? String(n) : amount
}

/** FNV-1a, 32 bits: a stable listing id suffix without crypto per row. */
function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

function itemName(listing: SimListing, marketplaceId: string): string | undefined {
  if (listing.itemName) return listing.itemName
  const entries = listing.attributes.item_name ?? []
  const entry = entries.find((e) => e.marketplace_id === marketplaceId) ?? entries[0]
  return typeof entry?.value === "string" ? entry.value : undefined
}

export interface MerchantListingsInput {
  state: SimState
  sellerId: string
  marketplaceId: string
  countryCode?: string
}

/** Write the report (header + one row per listing) into `out`; returns the number of rows. */
export function writeMerchantListingsReport(input: MerchantListingsInput, out: ReportDocumentBuilder): number {
  const { state, sellerId, marketplaceId } = input
  const dates = new OpenDateFormatter(input.countryCode)
  out.write(`${MERCHANT_LISTINGS_COLUMNS.join("\t")}\n`)
  let rows = 0
  const row: string[] = new Array<string>(MERCHANT_LISTINGS_COLUMNS.length)
  for (const listing of state.listings.values()) {
    if (listing.sellerId !== sellerId || !listing.marketplaceIds.includes(marketplaceId)) continue
    const fba = fbaChannel(listing)
    const stock = fba ? state.stock(sellerId, marketplaceId, listing.sku) : undefined
    const quantity = mfnQuantity(listing)
    const open = dates.format(listing.createdAt)
    const buyable = listingStatus(listing, stock).includes("BUYABLE")
    const hasAvailability = (listing.attributes[FULFILLMENT_AVAILABILITY] ?? []).length > 0
    row[0] = cell(itemName(listing, marketplaceId))
    row[1] = ""
    row[2] = `${pad(open.month)}${pad(open.day)}${hash32(`${sellerId}|${listing.sku}|${marketplaceId}`).toString(36).toUpperCase().padStart(7, "0")}`
    row[3] = cell(listing.sku)
    row[4] = priceText(listing.price?.amount)
    row[5] = fba ? "" : quantity !== undefined ? String(quantity) : hasAvailability ? "0" : ""
    row[6] = open.text
    row[7] = ""
    row[8] = "y"
    row[9] = listing.asin ? "1" : ""
    row[10] = ""
    row[11] = ""
    row[12] = CONDITION_CODES[listing.conditionType] ?? "11"
    row[13] = ""
    row[14] = ""
    row[15] = ""
    row[16] = listing.asin ?? ""
    row[17] = ""
    row[18] = ""
    row[19] = ""
    row[20] = ""
    row[21] = ""
    row[22] = listing.asin ?? ""
    row[23] = ""
    row[24] = ""
    row[25] = fba ? "" : "0"
    row[26] = fba ?? "DEFAULT"
    row[27] = "Migrated Template"
    row[28] = buyable ? "Active" : "Inactive"
    out.write(`${row.join("\t")}\n`)
    rows += 1
  }
  return rows
}
