/**
 * Normalises an Orders API v2026-01-01 `Order` into the flat shape the order import works with.
 *
 * The input is `unknown` on purpose: it comes off the wire, and every field is checked before use
 * (OrderParseError with a code and the JSON path otherwise). Field names are tied to the generated model.
 *
 * Sections that depend on `includedData` (FULFILLMENT, PROCEEDS, BUYER, RECIPIENT, CANCELLATION) may be
 * missing from a valid response. Missing sections become `null` where the import must notice that it
 * lacks the data (status, shipped quantities), and are left out where "unknown" and "none" are
 * handled alike (buyer, address, prices: Amazon omits prices while an order is PENDING).
 */
import type { components } from "../generated/orders-v2026-01-01"
import { addDecimals, parseDecimal, toMajorUnits } from "./money"
import type { Decimal } from "./money"
import { join, OrderParseError, PayloadReader } from "./payload-reader"
import type { JsonRecord, OrderParseErrorCode } from "./payload-reader"

type S = components["schemas"]
export type FulfillmentStatus = S["FulfillmentStatus"]

/** Every value of the model's FulfillmentStatus enum. An unknown status is refused, not guessed at. */
const FULFILLMENT_STATUSES: readonly FulfillmentStatus[] = [
  "PENDING_AVAILABILITY",
  "PENDING",
  "UNSHIPPED",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
  "CANCELLED",
  "UNFULFILLABLE",
]

export interface ParsedAddress {
  name?: string
  company?: string
  address1?: string
  address2?: string
  address3?: string
  city?: string
  /** CustomerAddress.stateOrRegion */
  province?: string
  postalCode?: string
  countryCode?: string
  /** Suppressed by Amazon for FBA orders and for FBM orders past their latest delivery date. */
  phone?: string
}

export interface ParsedItemCancellation {
  /** ItemCancellationRequest.requester, e.g. BUYER. A request alone means nothing is cancelled yet. */
  requestedBy?: string
  requestReason?: string
  /** ItemCancellationExecution.cancelledBy: BUYER | MERCHANT | AMAZON. */
  cancelledBy?: string
  cancelReason?: string
}

/** Money values are in major units of the order's currency, rounded to its minor unit. */
export interface ParsedOrderItem {
  orderItemId: string
  sku: string
  asin?: string
  title?: string
  quantityOrdered: number
  /** ItemFulfillment.quantityFulfilled; null when the response has no fulfillment data for the item. */
  quantityShipped: number | null
  /** ItemFulfillment.quantityUnfulfilled; null when the response has no fulfillment data for the item. */
  quantityUnshipped: number | null
  /** product.price.unitPrice. Absent while the order is PENDING. */
  unitPrice?: number
  /** Proceeds breakdown ITEM: unit price × quantity, without shipping or gift wrap. */
  itemPrice?: number
  shippingPrice?: number
  /** Proceeds breakdown TAX, all of it. */
  tax?: number
  /** The ITEM part of the TAX breakdown, when Amazon itemises it. */
  itemTax?: number
  /** The SHIPPING part of the TAX breakdown, when Amazon itemises it. */
  shippingTax?: number
  /** Proceeds breakdown DISCOUNT, with Amazon's sign. */
  discount?: number
  /** proceeds.proceedsTotal */
  total?: number
  cancellation?: ParsedItemCancellation
}

/**
 * Order-level proceeds by breakdown type (OrderProceedsBreakdown.type). Types the model does not list
 * are added into `other`, so the parts still sum to what Amazon reports.
 */
export interface ParsedOrderTotals {
  grandTotal?: number
  item?: number
  shipping?: number
  giftWrap?: number
  codFee?: number
  tax?: number
  discount?: number
  /** Charged separately after checkout; may still be PENDING. */
  deliveryTip?: number
  other?: number
}

export interface ParsedOrderCancellation {
  /**
   * CANCELLED: the order's status is CANCELLED. PARTIALLY_CANCELLED: some items carry a cancellation
   * execution while the order goes on. REQUESTED: a buyer asked to cancel and nobody has acted yet
   * (the merchant must decide for FBM orders).
   */
  state: "CANCELLED" | "PARTIALLY_CANCELLED" | "REQUESTED"
  cancelledBy?: string
  requestedBy?: string
  reason?: string
}

/** fulfillment.shipByWindow / deliverByWindow: a promised period (ISO 8601 times). */
export interface ParsedTimeWindow {
  earliest?: string
  latest?: string
}

/**
 * A package of a merchant-fulfilled order (includedData PACKAGES): what the seller confirmed as shipped,
 * in Seller Central or through confirmShipment, with the carrier and the tracking number.
 */
export interface ParsedPackage {
  referenceId: string
  carrier?: string
  trackingNumber?: string
  shippingService?: string
  /** When the package was handed to the carrier. */
  shipTime?: string
  /** PackageStatus.status: PENDING, IN_TRANSIT, SHIPPED, DELIVERED, CANCELLED, UNDELIVERABLE. */
  status?: string
  items: { orderItemId: string; quantity: number }[]
}

export interface ParsedOrder {
  orderId: string
  /** salesChannel.marketplaceId; the model makes it optional (e.g. NON_AMAZON channels). */
  marketplaceId?: string
  channelName: string
  createdTime: string
  lastUpdatedTime: string
  /** fulfillment.fulfillmentStatus; null when the response was fetched without FULFILLMENT. */
  status: FulfillmentStatus | null
  /** fulfillment.fulfilledBy (AMAZON | MERCHANT); null when absent. */
  fulfilledBy: string | null
  /** fulfillment.shipByWindow: the latest time is the order's "ship by" date. */
  shipBy?: ParsedTimeWindow
  /** fulfillment.deliverByWindow. */
  deliverBy?: ParsedTimeWindow
  /** includedData PACKAGES; absent when not requested (Amazon sends none for Amazon-fulfilled orders). */
  packages?: ParsedPackage[]
  buyerEmail?: string
  buyerName?: string
  shippingAddress?: ParsedAddress
  /** The one currency of every amount in the order; absent when the order carries no amounts yet. */
  currencyCode?: string
  items: ParsedOrderItem[]
  totals?: ParsedOrderTotals
  cancellation?: ParsedOrderCancellation
}

function fail(code: OrderParseErrorCode, path: string, message: string): never {
  throw new OrderParseError(code, path, message)
}

const read = new PayloadReader<OrderParseErrorCode>(fail)

/** Collects amounts of one order, refusing a second currency: a mixed-currency sum would be nonsense. */
class MoneyContext {
  currencyCode?: string

  decimal<T>(obj: JsonRecord, key: keyof T & string, path: string): Decimal {
    const p = join(path, key)
    const money = read.requiredRecord<T>(obj, key, path)
    const currency = read.requiredString<S["Money"]>(money, "currencyCode", p)
    if (!/^[A-Z]{3}$/.test(currency)) {
      fail("INVALID_MONEY", join(p, "currencyCode"), `not an ISO 4217 code: ${JSON.stringify(currency)}`)
    }
    if (this.currencyCode === undefined) {
      this.currencyCode = currency
    } else if (currency !== this.currencyCode) {
      fail("CURRENCY_MISMATCH", join(p, "currencyCode"), `${currency} in an order priced in ${this.currencyCode}`)
    }
    const amount = money.amount
    if (typeof amount !== "string") {
      // The model's Decimal is a string; a JSON number may already have lost precision.
      return fail("INVALID_MONEY", join(p, "amount"), `expected a decimal string, got ${JSON.stringify(amount)}`)
    }
    const d = parseDecimal(amount)
    if (d === null) {
      return fail("INVALID_MONEY", join(p, "amount"), `not a decimal number: ${JSON.stringify(amount)}`)
    }
    return d
  }

  optional<T>(obj: JsonRecord, key: keyof T & string, path: string): Decimal | undefined {
    const value = obj[key]
    return value === undefined || value === null ? undefined : this.decimal<T>(obj, key, path)
  }

  major(d: Decimal | undefined, path: string): number | undefined {
    if (d === undefined) {
      return undefined
    }
    // currencyCode is set: every Decimal came through decimal(), which sets it.
    const n = toMajorUnits(d, this.currencyCode as string)
    if (n === null) {
      return fail("INVALID_MONEY", path, "amount is too large")
    }
    return n
  }
}

function sum(a: Decimal | undefined, b: Decimal): Decimal {
  return a === undefined ? b : addDecimals(a, b)
}

function readAddress(obj: JsonRecord, path: string): ParsedAddress {
  type A = S["CustomerAddress"]
  const address: ParsedAddress = {
    name: read.optionalString<A>(obj, "name", path),
    company: read.optionalString<A>(obj, "companyName", path),
    address1: read.optionalString<A>(obj, "addressLine1", path),
    address2: read.optionalString<A>(obj, "addressLine2", path),
    address3: read.optionalString<A>(obj, "addressLine3", path),
    city: read.optionalString<A>(obj, "city", path),
    province: read.optionalString<A>(obj, "stateOrRegion", path),
    postalCode: read.optionalString<A>(obj, "postalCode", path),
    countryCode: read.optionalString<A>(obj, "countryCode", path),
    phone: read.optionalString<A>(obj, "phone", path),
  }
  return dropUndefined(address)
}

function dropUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) {
    if (obj[key] === undefined) {
      delete obj[key]
    }
  }
  return obj
}

function readItemCancellation(obj: JsonRecord, path: string): ParsedItemCancellation | undefined {
  const request = read.optionalRecord<S["ItemCancellation"]>(obj, "cancellationRequest", path)
  const execution = read.optionalRecord<S["ItemCancellation"]>(obj, "cancellationExecution", path)
  const rp = join(path, "cancellationRequest")
  const ep = join(path, "cancellationExecution")
  const c = dropUndefined<ParsedItemCancellation>({
    requestedBy: request && read.optionalString<S["ItemCancellationRequest"]>(request, "requester", rp),
    requestReason: request && read.optionalString<S["ItemCancellationRequest"]>(request, "cancelReason", rp),
    cancelledBy: execution && read.optionalString<S["ItemCancellationExecution"]>(execution, "cancelledBy", ep),
    cancelReason: execution && read.optionalString<S["ItemCancellationExecution"]>(execution, "cancelReason", ep),
  })
  // An execution object with no fields still says "this item was cancelled".
  return request === undefined && execution === undefined ? undefined : c
}

function readItem(
  value: unknown,
  path: string,
  money: MoneyContext
): { item: ParsedOrderItem; cancelRequested: boolean; cancelExecuted: boolean } {
  type I = S["OrderItem"]
  const o = read.record(value, path)
  const orderItemId = read.requiredString<I>(o, "orderItemId", path)
  const quantityOrdered = read.requiredCount<I>(o, "quantityOrdered", path, "INVALID_QUANTITY")

  const productPath = join(path, "product")
  const product = read.requiredRecord<I>(o, "product", path)
  const sku = read.requiredString<S["ItemProduct"]>(product, "sellerSku", productPath)

  const item: ParsedOrderItem = {
    orderItemId,
    sku,
    quantityOrdered,
    quantityShipped: null,
    quantityUnshipped: null,
  }
  const asin = read.optionalString<S["ItemProduct"]>(product, "asin", productPath)
  if (asin !== undefined) {
    item.asin = asin
  }
  const title = read.optionalString<S["ItemProduct"]>(product, "title", productPath)
  if (title !== undefined) {
    item.title = title
  }
  const price = read.optionalRecord<S["ItemProduct"]>(product, "price", productPath)
  if (price !== undefined) {
    const pricePath = join(productPath, "price")
    item.unitPrice = money.major(money.optional<S["ItemPrice"]>(price, "unitPrice", pricePath), join(pricePath, "unitPrice"))
  }

  const fulfillment = read.optionalRecord<I>(o, "fulfillment", path)
  if (fulfillment !== undefined) {
    type F = S["ItemFulfillment"]
    const fp = join(path, "fulfillment")
    const shipped = read.optionalCount<F>(fulfillment, "quantityFulfilled", fp, "INVALID_QUANTITY")
    const unshipped = read.optionalCount<F>(fulfillment, "quantityUnfulfilled", fp, "INVALID_QUANTITY")
    // Either exceeding the ordered quantity means the numbers cannot be trusted for stock movements.
    if (shipped !== undefined && shipped > quantityOrdered) {
      fail("INVALID_QUANTITY", join(fp, "quantityFulfilled"), `${shipped} shipped of ${quantityOrdered} ordered`)
    }
    if (unshipped !== undefined && unshipped > quantityOrdered) {
      fail("INVALID_QUANTITY", join(fp, "quantityUnfulfilled"), `${unshipped} unshipped of ${quantityOrdered} ordered`)
    }
    item.quantityShipped = shipped ?? null
    item.quantityUnshipped = unshipped ?? null
  }

  const proceeds = read.optionalRecord<I>(o, "proceeds", path)
  if (proceeds !== undefined) {
    readItemProceeds(proceeds, join(path, "proceeds"), money, item)
  }

  let cancelRequested = false
  let cancelExecuted = false
  const cancellation = read.optionalRecord<I>(o, "cancellation", path)
  if (cancellation !== undefined) {
    const c = readItemCancellation(cancellation, join(path, "cancellation"))
    if (c !== undefined) {
      item.cancellation = c
      cancelRequested = cancellation.cancellationRequest != null
      cancelExecuted = cancellation.cancellationExecution != null
    }
  }
  return { item: dropUndefined(item), cancelRequested, cancelExecuted }
}

function readItemProceeds(proceeds: JsonRecord, path: string, money: MoneyContext, item: ParsedOrderItem): void {
  type P = S["ItemProceeds"]
  type B = S["ItemProceedsBreakdown"]
  type DB = S["ItemProceedsDetailedBreakdown"]
  item.total = money.major(money.optional<P>(proceeds, "proceedsTotal", path), join(path, "proceedsTotal"))
  const sums: Partial<Record<"item" | "shipping" | "tax" | "itemTax" | "shippingTax" | "discount", Decimal>> = {}
  const breakdowns = read.optionalArray<P>(proceeds, "breakdowns", path) ?? []
  breakdowns.forEach((raw, i) => {
    const bp = join(join(path, "breakdowns"), i)
    const b = read.record(raw, bp)
    const type = read.requiredString<B>(b, "type", bp)
    const subtotal = money.decimal<B>(b, "subtotal", bp)
    if (type === "ITEM") {
      sums.item = sum(sums.item, subtotal)
    } else if (type === "SHIPPING") {
      sums.shipping = sum(sums.shipping, subtotal)
    } else if (type === "DISCOUNT") {
      sums.discount = sum(sums.discount, subtotal)
    } else if (type === "TAX") {
      sums.tax = sum(sums.tax, subtotal)
      const details = read.optionalArray<B>(b, "detailedBreakdowns", bp) ?? []
      details.forEach((rawDetail, j) => {
        const dp = join(join(bp, "detailedBreakdowns"), j)
        const detail = read.record(rawDetail, dp)
        const subtype = read.optionalString<DB>(detail, "subtype", dp)
        const value = money.optional<DB>(detail, "value", dp)
        if (value === undefined) {
          return
        }
        if (subtype === "ITEM") {
          sums.itemTax = sum(sums.itemTax, value)
        } else if (subtype === "SHIPPING") {
          sums.shippingTax = sum(sums.shippingTax, value)
        }
      })
    }
    // GIFT_WRAP, COD_FEE, OTHER and unknown types stay inside proceedsTotal (item.total) only: the
    // import has no per-line field for them.
  })
  item.itemPrice = money.major(sums.item, join(path, "breakdowns"))
  item.shippingPrice = money.major(sums.shipping, join(path, "breakdowns"))
  item.tax = money.major(sums.tax, join(path, "breakdowns"))
  item.itemTax = money.major(sums.itemTax, join(path, "breakdowns"))
  item.shippingTax = money.major(sums.shippingTax, join(path, "breakdowns"))
  item.discount = money.major(sums.discount, join(path, "breakdowns"))
}

const ORDER_BREAKDOWN_FIELD: Readonly<Record<string, keyof ParsedOrderTotals>> = {
  ITEM: "item",
  SHIPPING: "shipping",
  GIFT_WRAP: "giftWrap",
  COD_FEE: "codFee",
  TAX: "tax",
  DISCOUNT: "discount",
  DELIVERY_TIP: "deliveryTip",
  OTHER: "other",
}

function readOrderTotals(proceeds: JsonRecord, path: string, money: MoneyContext): ParsedOrderTotals {
  type P = S["OrderProceeds"]
  const sums: Partial<Record<keyof ParsedOrderTotals, Decimal>> = {}
  const grand = money.optional<P>(proceeds, "grandTotal", path)
  if (grand !== undefined) {
    sums.grandTotal = grand
  }
  const breakdowns = read.optionalArray<P>(proceeds, "breakdowns", path) ?? []
  breakdowns.forEach((raw, i) => {
    const bp = join(join(path, "breakdowns"), i)
    const b = read.record(raw, bp)
    const type = read.requiredString<S["OrderProceedsBreakdown"]>(b, "type", bp)
    const field = Object.prototype.hasOwnProperty.call(ORDER_BREAKDOWN_FIELD, type)
      ? ORDER_BREAKDOWN_FIELD[type]
      : "other"
    sums[field] = sum(sums[field], money.decimal<S["OrderProceedsBreakdown"]>(b, "subtotal", bp))
  })
  const totals: ParsedOrderTotals = {}
  for (const key of Object.keys(sums) as (keyof ParsedOrderTotals)[]) {
    totals[key] = money.major(sums[key], path)
  }
  return totals
}

function readWindow(obj: JsonRecord, key: "shipByWindow" | "deliverByWindow", path: string): ParsedTimeWindow | undefined {
  const w = read.optionalRecord<S["OrderFulfillment"]>(obj, key, path)
  if (w === undefined) {
    return undefined
  }
  const wp = join(path, key)
  const window = dropUndefined<ParsedTimeWindow>({
    earliest: read.optionalDateTime<S["DateTimeRange"]>(w, "earliestDateTime", wp, "INVALID_DATE"),
    latest: read.optionalDateTime<S["DateTimeRange"]>(w, "latestDateTime", wp, "INVALID_DATE"),
  })
  return Object.keys(window).length ? window : undefined
}

function readPackage(value: unknown, path: string): ParsedPackage {
  type P = S["OrderPackage"]
  const o = read.record(value, path)
  const pkg: ParsedPackage = {
    referenceId: read.requiredString<P>(o, "packageReferenceId", path),
    carrier: read.optionalString<P>(o, "carrier", path),
    trackingNumber: read.optionalString<P>(o, "trackingNumber", path),
    shippingService: read.optionalString<P>(o, "shippingService", path),
    shipTime: read.optionalDateTime<P>(o, "shipTime", path, "INVALID_DATE"),
    items: [],
  }
  const status = read.optionalRecord<P>(o, "packageStatus", path)
  if (status !== undefined) {
    pkg.status = read.requiredString<S["PackageStatus"]>(status, "status", join(path, "packageStatus"))
  }
  const items = read.optionalArray<P>(o, "packageItems", path) ?? []
  items.forEach((raw, i) => {
    const ip = join(join(path, "packageItems"), i)
    const item = read.record(raw, ip)
    pkg.items.push({
      orderItemId: read.requiredString<S["PackageItem"]>(item, "orderItemId", ip),
      quantity: read.requiredCount<S["PackageItem"]>(item, "quantity", ip, "INVALID_QUANTITY"),
    })
  })
  return dropUndefined(pkg)
}

/** Parses one `Order` object. */
export function parseOrder(input: unknown, path = ""): ParsedOrder {
  type O = S["Order"]
  const o = read.record(input, path)
  const money = new MoneyContext()

  const orderId = read.requiredString<O>(o, "orderId", path)
  const createdTime = read.requiredDateTime<O>(o, "createdTime", path, "INVALID_DATE")
  const lastUpdatedTime = read.requiredDateTime<O>(o, "lastUpdatedTime", path, "INVALID_DATE")

  const channelPath = join(path, "salesChannel")
  const channel = read.requiredRecord<O>(o, "salesChannel", path)
  const channelName = read.requiredString<S["SalesChannel"]>(channel, "channelName", channelPath)
  const marketplaceId = read.optionalString<S["SalesChannel"]>(channel, "marketplaceId", channelPath)

  let status: FulfillmentStatus | null = null
  let fulfilledBy: string | null = null
  let shipBy: ParsedTimeWindow | undefined
  let deliverBy: ParsedTimeWindow | undefined
  const fulfillment = read.optionalRecord<O>(o, "fulfillment", path)
  if (fulfillment !== undefined) {
    const fp = join(path, "fulfillment")
    const s = read.requiredString<S["OrderFulfillment"]>(fulfillment, "fulfillmentStatus", fp)
    if (!(FULFILLMENT_STATUSES as readonly string[]).includes(s)) {
      fail("INVALID_VALUE", join(fp, "fulfillmentStatus"), `unknown fulfillment status ${JSON.stringify(s)}`)
    }
    status = s as FulfillmentStatus
    fulfilledBy = read.optionalString<S["OrderFulfillment"]>(fulfillment, "fulfilledBy", fp) ?? null
    shipBy = readWindow(fulfillment, "shipByWindow", fp)
    deliverBy = readWindow(fulfillment, "deliverByWindow", fp)
  }

  const order: ParsedOrder = {
    orderId,
    channelName,
    createdTime,
    lastUpdatedTime,
    status,
    fulfilledBy,
    items: [],
  }
  if (marketplaceId !== undefined) {
    order.marketplaceId = marketplaceId
  }
  if (shipBy !== undefined) {
    order.shipBy = shipBy
  }
  if (deliverBy !== undefined) {
    order.deliverBy = deliverBy
  }

  const buyer = read.optionalRecord<O>(o, "buyer", path)
  if (buyer !== undefined) {
    const bp = join(path, "buyer")
    const buyerEmail = read.optionalString<S["Buyer"]>(buyer, "buyerEmail", bp)
    const buyerName = read.optionalString<S["Buyer"]>(buyer, "buyerName", bp)
    if (buyerEmail !== undefined) {
      order.buyerEmail = buyerEmail
    }
    if (buyerName !== undefined) {
      order.buyerName = buyerName
    }
  }

  const recipient = read.optionalRecord<O>(o, "recipient", path)
  if (recipient !== undefined) {
    const rp = join(path, "recipient")
    const address = read.optionalRecord<S["Recipient"]>(recipient, "deliveryAddress", rp)
    const shippingAddress = address && readAddress(address, join(rp, "deliveryAddress"))
    // Without the PII role every field can be withheld; an empty object would read as "address known".
    if (shippingAddress !== undefined && Object.keys(shippingAddress).length > 0) {
      order.shippingAddress = shippingAddress
    }
  }

  const itemsPath = join(path, "orderItems")
  const rawItems = read.requiredArray<O>(o, "orderItems", path)
  if (rawItems.length === 0) {
    fail("MISSING_FIELD", itemsPath, "an order without items cannot be imported")
  }
  const seen = new Set<string>()
  let requested: { by?: string; reason?: string } | undefined
  let executed: { by?: string; reason?: string } | undefined
  rawItems.forEach((raw, i) => {
    const { item, cancelRequested, cancelExecuted } = readItem(raw, join(itemsPath, i), money)
    if (seen.has(item.orderItemId)) {
      fail("DUPLICATE_ORDER_ITEM", join(join(itemsPath, i), "orderItemId"), `${item.orderItemId} appears twice`)
    }
    seen.add(item.orderItemId)
    if (cancelRequested && requested === undefined) {
      requested = { by: item.cancellation?.requestedBy, reason: item.cancellation?.requestReason }
    }
    if (cancelExecuted && executed === undefined) {
      executed = { by: item.cancellation?.cancelledBy, reason: item.cancellation?.cancelReason }
    }
    order.items.push(item)
  })

  const packages = read.optionalArray<O>(o, "packages", path)
  if (packages !== undefined) {
    const ids = new Set(order.items.map((i) => i.orderItemId))
    order.packages = packages.map((raw, i) => {
      const pkg = readPackage(raw, join(join(path, "packages"), i))
      pkg.items.forEach((item, j) => {
        if (!ids.has(item.orderItemId)) {
          fail("INVALID_VALUE", join(join(join(join(path, "packages"), i), "packageItems"), j), `order item ${item.orderItemId} is not part of the order`)
        }
      })
      return pkg
    })
  }

  const proceeds = read.optionalRecord<O>(o, "proceeds", path)
  if (proceeds !== undefined) {
    order.totals = readOrderTotals(proceeds, join(path, "proceeds"), money)
  }
  if (money.currencyCode !== undefined) {
    order.currencyCode = money.currencyCode
  }

  if (status === "CANCELLED" || executed !== undefined) {
    order.cancellation = dropUndefined<ParsedOrderCancellation>({
      state: status === "CANCELLED" ? "CANCELLED" : "PARTIALLY_CANCELLED",
      cancelledBy: executed?.by,
      requestedBy: requested?.by,
      reason: executed?.reason ?? requested?.reason,
    })
  } else if (requested !== undefined) {
    order.cancellation = dropUndefined<ParsedOrderCancellation>({
      state: "REQUESTED",
      requestedBy: requested.by,
      reason: requested.reason,
    })
  }
  return order
}

export interface ParsedOrdersPage {
  orders: ParsedOrder[]
  /** Send back as `paginationToken`; absent on the last page. */
  nextToken?: string
  /** Echoed upper bound of the search window: the next sync's watermark (FACTS §4). */
  lastUpdatedBefore?: string
  createdBefore?: string
}

/** Parses a `searchOrders` response (`SearchOrdersResponse`). */
export function parseSearchOrdersResponse(input: unknown): ParsedOrdersPage {
  type R = S["SearchOrdersResponse"]
  const o = read.record(input, "")
  const page: ParsedOrdersPage = {
    orders: read.requiredArray<R>(o, "orders", "").map((order, i) => parseOrder(order, join("orders", i))),
  }
  const pagination = read.optionalRecord<R>(o, "pagination", "")
  if (pagination !== undefined) {
    const nextToken = read.optionalString<S["Pagination"]>(pagination, "nextToken", "pagination")
    if (nextToken !== undefined) {
      page.nextToken = nextToken
    }
  }
  const lastUpdatedBefore = read.optionalDateTime<R>(o, "lastUpdatedBefore", "", "INVALID_DATE")
  if (lastUpdatedBefore !== undefined) {
    page.lastUpdatedBefore = lastUpdatedBefore
  }
  const createdBefore = read.optionalDateTime<R>(o, "createdBefore", "", "INVALID_DATE")
  if (createdBefore !== undefined) {
    page.createdBefore = createdBefore
  }
  return page
}

/** Parses a `getOrder` response (`GetOrderResponse`). */
export function parseGetOrderResponse(input: unknown): ParsedOrder {
  const o = read.record(input, "")
  return parseOrder(read.requiredRecord<S["GetOrderResponse"]>(o, "order", ""), "order")
}
