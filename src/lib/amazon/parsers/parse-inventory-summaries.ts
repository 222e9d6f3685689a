/**
 * Normalises an FBA Inventory v1 `getInventorySummaries` response (`GetInventorySummariesResponse`).
 *
 * Without `details=true` Amazon omits `inventoryDetails` entirely. Those quantities are then unknown, not
 * zero: reporting 0 fulfillable would look like a stock-out and could zero the SKU elsewhere. So every
 * breakdown quantity is `number | null`, and `hasDetails` says which case applies.
 */
import type { components } from "../generated/fba-inventory-v1"
import { InventoryParseError, join, PayloadReader } from "./payload-reader"
import type { InventoryParseErrorCode } from "./payload-reader"

type S = components["schemas"]

export interface ParsedInventorySummary {
  sellerSku: string
  asin?: string
  fnSku?: string
  condition?: string
  /** Whether the summary carried `inventoryDetails`; false means every breakdown below is null. */
  hasDetails: boolean
  /** Sellable FBA stock. */
  fulfillable: number | null
  inboundWorking: number | null
  inboundShipped: number | null
  inboundReceiving: number | null
  /** reservedQuantity.totalReservedQuantity */
  reserved: number | null
  /** unfulfillableQuantity.totalUnfulfillableQuantity */
  unfulfillable: number | null
  /** researchingQuantity.totalResearchingQuantity */
  researching: number | null
  /** totalQuantity: inbound plus in Amazon fulfillment centres. */
  total: number | null
  lastUpdatedTime?: string
}

export interface ParsedInventorySummariesPage {
  /** granularity.granularityId (the marketplace id for Marketplace granularity). */
  granularityId?: string
  items: ParsedInventorySummary[]
  /** Expires 30 s after issue; send it URL-encoded, with the same startDateTime (FACTS §8). */
  nextToken?: string
}

function fail(code: InventoryParseErrorCode, path: string, message: string): never {
  throw new InventoryParseError(code, path, message)
}

const read = new PayloadReader<InventoryParseErrorCode>(fail)

function readSummary(value: unknown, path: string): ParsedInventorySummary {
  type I = S["InventorySummary"]
  type D = S["InventoryDetails"]
  const o = read.record(value, path)
  // Optional in the model, but a summary we cannot key by SKU cannot be matched to a variant.
  const sellerSku = read.requiredString<I>(o, "sellerSku", path)
  const details = read.optionalRecord<I>(o, "inventoryDetails", path)
  const dp = join(path, "inventoryDetails")
  const count = <T>(obj: Record<string, unknown> | undefined, key: keyof T & string, p: string): number | null =>
    obj === undefined ? null : read.optionalCount<T>(obj, key, p, "INVALID_QUANTITY") ?? null
  const reserved = details && read.optionalRecord<D>(details, "reservedQuantity", dp)
  const unfulfillable = details && read.optionalRecord<D>(details, "unfulfillableQuantity", dp)
  const researching = details && read.optionalRecord<D>(details, "researchingQuantity", dp)

  const summary: ParsedInventorySummary = {
    sellerSku,
    hasDetails: details !== undefined,
    fulfillable: count<D>(details, "fulfillableQuantity", dp),
    inboundWorking: count<D>(details, "inboundWorkingQuantity", dp),
    inboundShipped: count<D>(details, "inboundShippedQuantity", dp),
    inboundReceiving: count<D>(details, "inboundReceivingQuantity", dp),
    reserved: count<S["ReservedQuantity"]>(reserved, "totalReservedQuantity", join(dp, "reservedQuantity")),
    unfulfillable: count<S["UnfulfillableQuantity"]>(
      unfulfillable,
      "totalUnfulfillableQuantity",
      join(dp, "unfulfillableQuantity")
    ),
    researching: count<S["ResearchingQuantity"]>(
      researching,
      "totalResearchingQuantity",
      join(dp, "researchingQuantity")
    ),
    total: count<I>(o, "totalQuantity", path),
  }
  const asin = read.optionalString<I>(o, "asin", path)
  if (asin !== undefined) {
    summary.asin = asin
  }
  const fnSku = read.optionalString<I>(o, "fnSku", path)
  if (fnSku !== undefined) {
    summary.fnSku = fnSku
  }
  const condition = read.optionalString<I>(o, "condition", path)
  if (condition !== undefined) {
    summary.condition = condition
  }
  const lastUpdatedTime = read.optionalDateTime<I>(o, "lastUpdatedTime", path, "INVALID_DATE")
  if (lastUpdatedTime !== undefined) {
    summary.lastUpdatedTime = lastUpdatedTime
  }
  return summary
}

/** Parses one page of getInventorySummaries. Throws InventoryParseError on any unexpected shape. */
export function parseInventorySummaries(input: unknown): ParsedInventorySummariesPage {
  type R = S["GetInventorySummariesResponse"]
  const o = read.record(input, "")

  const errors = read.optionalArray<R>(o, "errors", "")
  if (errors !== undefined && errors.length > 0) {
    // A 200 carrying errors has no trustworthy payload; partial data would look like missing SKUs.
    const first = read.record(errors[0], "errors[0]")
    const code = read.requiredString<S["Error"]>(first, "code", "errors[0]")
    fail("AMAZON_ERRORS", "errors", `Amazon returned ${errors.length} error(s), first: ${code}`)
  }

  const payload = read.requiredRecord<R>(o, "payload", "")
  type P = S["GetInventorySummariesResult"]
  const page: ParsedInventorySummariesPage = {
    items: read
      .requiredArray<P>(payload, "inventorySummaries", "payload")
      .map((s, i) => readSummary(s, join("payload.inventorySummaries", i))),
  }
  const granularity = read.optionalRecord<P>(payload, "granularity", "payload")
  if (granularity !== undefined) {
    const id = read.optionalString<S["Granularity"]>(granularity, "granularityId", "payload.granularity")
    if (id !== undefined) {
      page.granularityId = id
    }
  }
  const pagination = read.optionalRecord<R>(o, "pagination", "")
  if (pagination !== undefined) {
    const nextToken = read.optionalString<S["Pagination"]>(pagination, "nextToken", "pagination")
    if (nextToken !== undefined) {
      page.nextToken = nextToken
    }
  }
  return page
}
