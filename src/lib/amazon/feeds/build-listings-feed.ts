/**
 * JSON_LISTINGS_FEED builder for MFN quantity updates, plus the equivalent patchListingsItem body.
 *
 * Pure: the seller id and every item come in as arguments; nothing is read from the clock, env or network.
 * The caller stores the returned `messages` (messageId → sku) with the feed row, because the processing
 * report only refers to messages by id (see parsers/parse-feed-processing-report.ts).
 */
import type { components as ListingsItems } from "../generated/listings-items-2021-08-01"
import type { ListingsFeedHeader, ListingsFeedReportOptions } from "./listings-feed-types"

/** listings-feed-schema-v2.json `messages.maxItems` (raised from 10,000 on 2025-05-06). */
export const MAX_LISTINGS_FEED_MESSAGES = 25_000

/**
 * Only the merchant-fulfilled channel: FBA quantities are owned by Amazon, and a PATCH on
 * fulfillment_availability must carry the channel code in every entry (FACTS §6).
 */
export const MFN_FULFILLMENT_CHANNEL_CODE = "DEFAULT"

export const FULFILLMENT_AVAILABILITY_PATH = "/attributes/fulfillment_availability"

/**
 * With includedData set, the report is written when processing finishes and lists each SKU's stored
 * fulfillment availability; without it, it only says which messages were accepted
 * (amzn/selling-partner-api-models#4801, FACTS §6, §11.3). Not exported: a caller mutating it would
 * change every later feed.
 */
const DEFAULT_FEED_REPORT: ListingsFeedReportOptions = {
  includedData: ["issues", "fulfillmentAvailability"],
  apiVersion: "2021-08-01",
}

/**
 * `merge` (since 2025-06-16) updates quantity and keeps restock_date / lead_time_to_ship_max_days;
 * `replace` overwrites the whole DEFAULT entry, dropping those two.
 */
export type QuantityPatchOp = "merge" | "replace"

export type FeedBuildErrorCode =
  | "INVALID_QUANTITY"
  | "EMPTY_SKU"
  | "INVALID_SKU"
  | "DUPLICATE_SKU"
  | "EMPTY_PRODUCT_TYPE"
  | "EMPTY_SELLER_ID"
  | "INVALID_ISSUE_LOCALE"
  | "INVALID_OP"
  | "EMPTY_FEED"
  | "TOO_MANY_MESSAGES"
  | "INVALID_MAX_PER_FEED"

export class FeedBuildError extends Error {
  readonly name = "FeedBuildError"
  readonly code: FeedBuildErrorCode
  /** The offending SKU, when the error is about one item. */
  readonly sku?: string
  /** Position of the offending item in the caller's input (0-based, across all feeds). */
  readonly index?: number

  constructor(code: FeedBuildErrorCode, message: string, details: { sku?: string; index?: number } = {}) {
    super(message)
    this.code = code
    this.sku = details.sku
    this.index = details.index
  }
}

export interface QuantityUpdateItem {
  sku: string
  /** Amazon product type of the listing (read it from getListingsItem summaries; "PRODUCT" is unreliable). */
  productType: string
  quantity: number
}

export interface BuildListingsFeedInput {
  sellerId: string
  issueLocale?: string
  /**
   * Default true: ask for `report: {includedData: ["issues", "fulfillmentAvailability"], apiVersion:
   * "2021-08-01"}` in the header.
   */
  includeReport?: boolean
  /** Default "merge". */
  op?: QuantityPatchOp
  items: Iterable<QuantityUpdateItem>
}

export interface FeedMessageRef {
  messageId: number
  sku: string
  quantity: number
}

export interface BuiltListingsFeed {
  /** The feed document as JSON text, ready to upload with `application/json; charset=UTF-8`. */
  document: string
  /** messageId → sku/quantity, in messageId order. Persist it: the report only names message ids. */
  messages: FeedMessageRef[]
}

// With the `u` flag a surrogate pair is one code point, so this matches only unpaired halves. Such a
// string cannot be encoded as UTF-8, so the SKU Amazon would store is not the one we hold.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

type ItemRef = { sku?: string; index?: number }

function where(ref: ItemRef): string {
  return ref.index === undefined ? "" : `item ${ref.index}: `
}

function checkProductType(productType: unknown, ref: ItemRef): void {
  if (typeof productType !== "string" || productType.length === 0) {
    throw new FeedBuildError("EMPTY_PRODUCT_TYPE", `${where(ref)}productType must be a non-empty string`, ref)
  }
}

function checkQuantity(quantity: unknown, ref: ItemRef): void {
  if (typeof quantity !== "number" || !Number.isSafeInteger(quantity) || quantity < 0) {
    throw new FeedBuildError(
      "INVALID_QUANTITY",
      `${where(ref)}quantity must be an integer >= 0, got ${String(quantity)}`,
      ref
    )
  }
}

function checkItem(item: QuantityUpdateItem, index: number): void {
  const { sku } = item
  if (typeof sku !== "string" || sku.length === 0) {
    throw new FeedBuildError("EMPTY_SKU", `item ${index}: sku must be a non-empty string`, { index })
  }
  if (LONE_SURROGATE.test(sku)) {
    throw new FeedBuildError("INVALID_SKU", `item ${index}: sku contains an unpaired UTF-16 surrogate`, {
      sku,
      index,
    })
  }
  checkProductType(item.productType, { sku, index })
  checkQuantity(item.quantity, { sku, index })
}

function checkOp(op: unknown): QuantityPatchOp {
  if (op === undefined) {
    return "merge"
  }
  if (op !== "merge" && op !== "replace") {
    throw new FeedBuildError("INVALID_OP", `op must be "merge" or "replace", got ${String(op)}`)
  }
  return op
}

function buildHeader(input: BuildListingsFeedInput): ListingsFeedHeader {
  if (typeof input.sellerId !== "string" || input.sellerId.length === 0) {
    throw new FeedBuildError("EMPTY_SELLER_ID", "sellerId must be a non-empty string")
  }
  const header: ListingsFeedHeader = { sellerId: input.sellerId, version: "2.0" }
  if (input.issueLocale !== undefined) {
    // The schema only says "string"; an empty one would silently fall back to the marketplace default.
    if (typeof input.issueLocale !== "string" || input.issueLocale.length === 0) {
      throw new FeedBuildError("INVALID_ISSUE_LOCALE", "issueLocale, when given, must be a non-empty string")
    }
    header.issueLocale = input.issueLocale
  }
  if (input.includeReport ?? true) {
    header.report = DEFAULT_FEED_REPORT
  }
  return header
}

/**
 * Chunks `items` into arrays of at most `maxPerFeed`, lazily, so a large iterable is never copied whole.
 * `maxPerFeed` is checked at the call, not on first iteration. The items themselves are checked by the
 * builders.
 */
export function splitIntoFeeds<T>(
  items: Iterable<T>,
  maxPerFeed: number = MAX_LISTINGS_FEED_MESSAGES
): Generator<T[], void, undefined> {
  if (!Number.isSafeInteger(maxPerFeed) || maxPerFeed < 1 || maxPerFeed > MAX_LISTINGS_FEED_MESSAGES) {
    throw new FeedBuildError(
      "INVALID_MAX_PER_FEED",
      `maxPerFeed must be an integer in 1..${MAX_LISTINGS_FEED_MESSAGES}, got ${String(maxPerFeed)}`
    )
  }
  return chunks(items, maxPerFeed)
}

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[], void, undefined> {
  let chunk: T[] = []
  for (const item of items) {
    chunk.push(item)
    if (chunk.length === size) {
      yield chunk
      chunk = []
    }
  }
  if (chunk.length > 0) {
    yield chunk
  }
}

// Printable ASCII minus `"` and `\`: such a string is its own JSON body, so it is quoted without a call
// into JSON.stringify. Anything else (controls, non-ASCII, quotes) goes through JSON.stringify.
const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/

function jsonString(value: string): string {
  return PLAIN_JSON_STRING.test(value) ? '"' + value + '"' : JSON.stringify(value)
}

/**
 * Serialises one feed as one string part per message, joined once, so no 25,000-message object tree is
 * built only to be stringified: per message, the part string and the `messages` entry the caller keeps
 * are the only allocations. productType repeats across a catalogue, so its JSON is cached.
 */
function serialiseFeed(
  headerJson: string,
  op: QuantityPatchOp,
  items: readonly QuantityUpdateItem[],
  firstIndex: number,
  seen: Map<string, number>
): BuiltListingsFeed {
  const beforeProductType = ',"operationType":"PATCH","productType":'
  const beforeQuantity =
    ',"patches":[{"op":' +
    JSON.stringify(op) +
    ',"path":' +
    JSON.stringify(FULFILLMENT_AVAILABILITY_PATH) +
    ',"value":[{"fulfillment_channel_code":' +
    JSON.stringify(MFN_FULFILLMENT_CHANNEL_CODE) +
    ',"quantity":'
  const productTypeJson = new Map<string, string>()
  const parts: string[] = new Array(items.length + 2)
  const messages: FeedMessageRef[] = new Array(items.length)
  parts[0] = '{"header":' + headerJson + ',"messages":['
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    const index = firstIndex + i
    checkItem(item, index)
    const earlier = seen.get(item.sku)
    if (earlier !== undefined) {
      throw new FeedBuildError(
        "DUPLICATE_SKU",
        `item ${index}: sku already given at item ${earlier}; one feed may set a SKU only once`,
        { sku: item.sku, index }
      )
    }
    seen.set(item.sku, index)
    let productType = productTypeJson.get(item.productType)
    if (productType === undefined) {
      productType = jsonString(item.productType)
      productTypeJson.set(item.productType, productType)
    }
    const messageId = i + 1
    messages[i] = { messageId, sku: item.sku, quantity: item.quantity }
    parts[i + 1] =
      (i === 0 ? '{"messageId":' : ',{"messageId":') +
      messageId +
      ',"sku":' +
      jsonString(item.sku) +
      beforeProductType +
      productType +
      beforeQuantity +
      item.quantity +
      "}]}]}"
  }
  parts[items.length + 1] = "]}"
  return { document: parts.join(""), messages }
}

function tooMany(count: string): FeedBuildError {
  return new FeedBuildError(
    "TOO_MANY_MESSAGES",
    `${count} items exceed the ${MAX_LISTINGS_FEED_MESSAGES}-message limit of one JSON_LISTINGS_FEED`
  )
}

/** Arrays are used as they are; other iterables are read only up to one item past the limit. */
function atMostOneFeed(items: Iterable<QuantityUpdateItem>): readonly QuantityUpdateItem[] {
  if (Array.isArray(items)) {
    if (items.length > MAX_LISTINGS_FEED_MESSAGES) {
      throw tooMany(String(items.length))
    }
    return items
  }
  const collected: QuantityUpdateItem[] = []
  for (const item of items) {
    if (collected.length === MAX_LISTINGS_FEED_MESSAGES) {
      throw tooMany("more than " + MAX_LISTINGS_FEED_MESSAGES)
    }
    collected.push(item)
  }
  return collected
}

/**
 * Builds exactly one feed. Throws TOO_MANY_MESSAGES above {@link MAX_LISTINGS_FEED_MESSAGES}
 * (use {@link buildListingsFeeds} to split) and EMPTY_FEED for no items (the schema wants ≥ 1 message).
 */
export function buildListingsFeed(input: BuildListingsFeedInput): BuiltListingsFeed {
  const op = checkOp(input.op)
  const headerJson = JSON.stringify(buildHeader(input))
  const items = atMostOneFeed(input.items)
  if (items.length === 0) {
    throw new FeedBuildError("EMPTY_FEED", "a feed needs at least one item")
  }
  return serialiseFeed(headerJson, op, items, 0, new Map())
}

/**
 * Builds as many feeds as needed, each with at most `maxPerFeed` messages (default and upper bound
 * {@link MAX_LISTINGS_FEED_MESSAGES}). Duplicate SKUs are refused across the whole input, not just per
 * feed: feeds are processed one after another, so a SKU in two feeds would end at whichever ran last.
 * No items → no feeds.
 */
export function buildListingsFeeds(
  input: BuildListingsFeedInput & { maxPerFeed?: number }
): BuiltListingsFeed[] {
  const op = checkOp(input.op)
  const headerJson = JSON.stringify(buildHeader(input))
  const seen = new Map<string, number>()
  const feeds: BuiltListingsFeed[] = []
  let firstIndex = 0
  for (const chunk of splitIntoFeeds(input.items, input.maxPerFeed ?? MAX_LISTINGS_FEED_MESSAGES)) {
    feeds.push(serialiseFeed(headerJson, op, chunk, firstIndex, seen))
    firstIndex += chunk.length
  }
  return feeds
}

export type ListingsItemPatchRequest = ListingsItems["schemas"]["ListingsItemPatchRequest"]

/**
 * Body of `PATCH /listings/2021-08-01/items/{sellerId}/{sku}` for one urgent quantity change, the same
 * patch a feed message carries. The SKU goes in the URL path, so it is not part of the body.
 */
export function buildListingsPatchBody(input: {
  productType: string
  quantity: number
  op?: QuantityPatchOp
}): ListingsItemPatchRequest {
  const op = checkOp(input.op)
  // Same checks as a feed item, so the single-SKU patch and the bulk feed refuse the same inputs.
  checkProductType(input.productType, {})
  checkQuantity(input.quantity, {})
  return {
    productType: input.productType,
    patches: [
      {
        op,
        path: FULFILLMENT_AVAILABILITY_PATH,
        value: [{ fulfillment_channel_code: MFN_FULFILLMENT_CHANNEL_CODE, quantity: input.quantity }],
      },
    ],
  }
}
