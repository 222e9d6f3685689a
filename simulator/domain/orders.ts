/**
 * Orders: building a v2026 order from a seed, moving it through its life cycle, recording shipment
 * confirmations, and rendering it the way searchOrders/getOrder do (only the requested `includedData`, no
 * prices while PENDING).
 */
import { parseIso, toAmazonIso } from "../clock"
import { getMarketplace } from "../marketplaces"
import type { SimState } from "../state"
import type {
  FulfillmentStatus,
  Money,
  Order,
  OrderItem,
  OrderItemSeed,
  OrderSeed,
  SellerAccount,
  ShipmentRecord,
  SimOrder,
} from "../types"
import { FULFILLMENT_STATUSES } from "../types"

export class OrderRuleError extends Error {}

/** Amazon's default handling time: a seeded order must ship within two days of its purchase. */
const DEFAULT_HANDLING_MS = 2 * 86_400_000

// ------------------------------------------------------------------ money

function minorDigits(currency: string): number {
  return currency === "JPY" ? 0 : 2
}

function money(amount: number, currencyCode: string): Money {
  return { amount: amount.toFixed(minorDigits(currencyCode)), currencyCode }
}

function toAmount(value: string | number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined
  const amount = typeof value === "number" ? value : Number(value)
  if (!Number.isFinite(amount) || amount < 0) throw new OrderRuleError(`${field} must be a non-negative amount, got ${JSON.stringify(value)}`)
  return amount
}

// ------------------------------------------------------------------ seeding

export function buildOrder(seed: OrderSeed, ctx: { state: SimState; seller: SellerAccount; now: number }): SimOrder {
  const { state, seller, now } = ctx
  const marketplaceId = seed.marketplaceId ?? seller.marketplaceIds[0]
  const marketplace = getMarketplace(marketplaceId)
  if (!marketplace) throw new OrderRuleError(`unknown marketplace ${marketplaceId}`)
  if (!seller.marketplaceIds.includes(marketplaceId)) throw new OrderRuleError(`seller ${seller.sellerId} does not sell in ${marketplaceId}`)
  const status = seed.fulfillmentStatus ?? "UNSHIPPED"
  if (!FULFILLMENT_STATUSES.includes(status)) throw new OrderRuleError(`unknown fulfillmentStatus ${status}`)
  const fulfilledBy = seed.fulfilledBy ?? "MERCHANT"
  if (fulfilledBy !== "MERCHANT" && fulfilledBy !== "AMAZON") throw new OrderRuleError(`fulfilledBy must be MERCHANT or AMAZON`)
  if (!Array.isArray(seed.orderItems) || seed.orderItems.length === 0) throw new OrderRuleError("an order needs at least one orderItems entry")

  const orderId = seed.orderId ?? state.nextOrderId(seller.region)
  if (state.orders.has(orderId)) throw new OrderRuleError(`order ${orderId} already exists`)
  const createdTime = seed.createdTime === undefined ? now : parseIso(seed.createdTime)
  const lastUpdatedTime = seed.lastUpdatedTime === undefined ? createdTime : parseIso(seed.lastUpdatedTime)
  if (createdTime === undefined || lastUpdatedTime === undefined) throw new OrderRuleError("createdTime / lastUpdatedTime must be ISO 8601")
  if (lastUpdatedTime < createdTime) throw new OrderRuleError("lastUpdatedTime must not be before createdTime")

  const currency = seed.currencyCode ?? marketplace.defaultCurrencyCode
  const orderItems = seed.orderItems.map((item) => buildItem(item, { state, seller, currency, status }))
  const itemIds = new Set(orderItems.map((i) => i.orderItemId))
  if (itemIds.size !== orderItems.length) throw new OrderRuleError("orderItemId values must be unique within the order")

  const order: Order = {
    orderId,
    createdTime: toAmazonIso(createdTime),
    lastUpdatedTime: toAmazonIso(lastUpdatedTime),
    salesChannel: { channelName: "AMAZON", marketplaceId, marketplaceName: marketplace.name },
    buyer: seed.buyer ?? { buyerEmail: `${orderId.replace(/-/g, "")}@marketplace.${marketplace.domainName.replace(/^www\./, "")}` },
    fulfillment: {
      fulfillmentStatus: status,
      fulfilledBy,
      fulfillmentServiceLevel: seed.fulfillmentServiceLevel ?? "STANDARD",
      shipByWindow: seed.shipByWindow
        ? structuredClone(seed.shipByWindow)
        : { earliestDateTime: toAmazonIso(createdTime), latestDateTime: toAmazonIso(createdTime + DEFAULT_HANDLING_MS) },
      ...(seed.deliverByWindow ? { deliverByWindow: structuredClone(seed.deliverByWindow) } : {}),
    },
    orderItems,
    packages: [],
  }
  if (seed.recipient) order.recipient = structuredClone(seed.recipient)
  if (seed.programs) order.programs = [...seed.programs]
  if (seed.orderAliases) order.orderAliases = structuredClone(seed.orderAliases)
  order.proceeds = orderProceeds(orderItems, currency)
  return { sellerId: seller.sellerId, order }
}

function buildItem(seed: OrderItemSeed, ctx: { state: SimState; seller: SellerAccount; currency: string; status: FulfillmentStatus }): OrderItem {
  if (typeof seed.sellerSku !== "string" || seed.sellerSku === "") throw new OrderRuleError("every order item needs a sellerSku")
  if (!Number.isInteger(seed.quantityOrdered) || seed.quantityOrdered < 1) throw new OrderRuleError("quantityOrdered must be a positive integer")
  const listing = ctx.state.listing(ctx.seller.sellerId, seed.sellerSku)
  const unitPrice = toAmount(seed.unitPrice ?? listing?.price?.amount, "unitPrice")
  const shipping = toAmount(seed.shippingPrice, "shippingPrice") ?? 0

  let fulfilled = seed.quantityFulfilled ?? (ctx.status === "SHIPPED" ? seed.quantityOrdered : 0)
  if (!Number.isInteger(fulfilled) || fulfilled < 0 || fulfilled > seed.quantityOrdered) {
    throw new OrderRuleError("quantityFulfilled must be an integer between 0 and quantityOrdered")
  }
  if (ctx.status === "CANCELLED") fulfilled = 0
  const unfulfilled = ctx.status === "CANCELLED" ? 0 : seed.quantityOrdered - fulfilled

  const item: OrderItem = {
    orderItemId: seed.orderItemId ?? ctx.state.nextOrderItemId(),
    quantityOrdered: seed.quantityOrdered,
    product: {
      sellerSku: seed.sellerSku,
      condition: { conditionType: "NEW", conditionSubtype: "NEW" },
    },
    fulfillment: { quantityFulfilled: fulfilled, quantityUnfulfilled: unfulfilled },
  }
  const asin = seed.asin ?? listing?.asin
  const title = seed.title ?? listing?.itemName
  if (asin) item.product.asin = asin
  if (title) item.product.title = title
  if (unitPrice !== undefined) {
    item.product.price = { unitPrice: money(unitPrice, ctx.currency) }
    const itemTotal = unitPrice * seed.quantityOrdered
    const breakdowns = [{ type: "ITEM", subtotal: money(itemTotal, ctx.currency) }]
    if (shipping > 0) breakdowns.push({ type: "SHIPPING", subtotal: money(shipping, ctx.currency) })
    item.proceeds = { proceedsTotal: money(itemTotal + shipping, ctx.currency), breakdowns }
  }
  return item
}

function orderProceeds(items: OrderItem[], currency: string): Order["proceeds"] {
  if (items.some((i) => !i.proceeds)) return undefined
  let itemSum = 0
  let shippingSum = 0
  for (const item of items) {
    for (const b of item.proceeds?.breakdowns ?? []) {
      if (b.type === "ITEM") itemSum += Number(b.subtotal.amount)
      if (b.type === "SHIPPING") shippingSum += Number(b.subtotal.amount)
    }
  }
  const breakdowns = [{ type: "ITEM", subtotal: money(itemSum, currency) }]
  if (shippingSum > 0) breakdowns.push({ type: "SHIPPING", subtotal: money(shippingSum, currency) })
  return { grandTotal: money(itemSum + shippingSum, currency), breakdowns }
}

// ------------------------------------------------------------------ life cycle

export interface OrderTransition {
  to: FulfillmentStatus
  /** For PARTIALLY_SHIPPED: which units ship now (default: one unit of the first item with units left). */
  items?: { orderItemId: string; quantity: number }[]
  /** For CANCELLED: who cancelled (default MERCHANT) and why. */
  cancelledBy?: "BUYER" | "MERCHANT" | "AMAZON"
  cancelReason?: string
  /**
   * For SHIPPED / PARTIALLY_SHIPPED of a merchant-fulfilled order: the seller confirmed the shipment
   * outside the API (Seller Central, a shipping tool), so the units shipped by this move get a package
   * with this carrier and tracking number, as confirmShipment would record.
   */
  package?: { carrier: string; trackingNumber: string; shippingService?: string; packageReferenceId?: string; shipTime?: string }
}

const NEXT: Record<FulfillmentStatus, FulfillmentStatus[]> = {
  PENDING_AVAILABILITY: ["PENDING", "CANCELLED"],
  PENDING: ["UNSHIPPED", "CANCELLED"],
  UNSHIPPED: ["PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"],
  PARTIALLY_SHIPPED: ["PARTIALLY_SHIPPED", "SHIPPED"],
  SHIPPED: [],
  CANCELLED: [],
  UNFULFILLABLE: [],
}

export function statusOf(order: Order): FulfillmentStatus {
  return order.fulfillment?.fulfillmentStatus ?? "UNSHIPPED"
}

export function transitionOrder(sim: SimOrder, transition: OrderTransition, now: number): void {
  const order = sim.order
  const from = statusOf(order)
  const to = transition.to
  if (!NEXT[from].includes(to)) {
    throw new OrderRuleError(`order ${order.orderId} cannot move from ${from} to ${to} (allowed: ${NEXT[from].join(", ") || "none"})`)
  }
  if (to === "UNFULFILLABLE" && order.fulfillment?.fulfilledBy !== "AMAZON") {
    throw new OrderRuleError("UNFULFILLABLE applies only to Amazon-fulfilled orders")
  }
  if (transition.package) {
    if (to !== "SHIPPED" && to !== "PARTIALLY_SHIPPED") throw new OrderRuleError("a package goes with SHIPPED or PARTIALLY_SHIPPED only")
    // Amazon shows packages for merchant-fulfilled orders only (OrderPackage, PACKAGES).
    if (order.fulfillment?.fulfilledBy === "AMAZON") throw new OrderRuleError("packages exist for merchant-fulfilled orders only")
  }
  let shippedUnits: { orderItemId: string; quantity: number }[] = []
  if (to === "SHIPPED") {
    shippedUnits = order.orderItems.filter((i) => remaining(i) > 0).map((i) => ({ orderItemId: i.orderItemId, quantity: remaining(i) }))
    for (const item of order.orderItems) setFulfilled(item, item.quantityOrdered)
  } else if (to === "PARTIALLY_SHIPPED") {
    const shipments = transition.items ?? defaultPartialShipment(order)
    const problem = checkShippableUnits(order, shipments)
    if (problem) throw new OrderRuleError(problem)
    const shippedNow = shipments.reduce((sum, unit) => sum + unit.quantity, 0)
    const left = order.orderItems.reduce((sum, item) => sum + remaining(item), 0)
    if (shippedNow >= left) throw new OrderRuleError("those units complete the order; move it to SHIPPED instead")
    shipUnits(order, shipments)
    shippedUnits = shipments
  } else if (to === "CANCELLED") {
    const cancelledBy = transition.cancelledBy ?? "MERCHANT"
    for (const item of order.orderItems) {
      item.fulfillment = { ...item.fulfillment, quantityFulfilled: item.fulfillment?.quantityFulfilled ?? 0, quantityUnfulfilled: 0 }
      item.cancellation = {
        ...item.cancellation,
        cancellationExecution: transition.cancelReason === undefined ? { cancelledBy } : { cancelledBy, cancelReason: transition.cancelReason },
      }
    }
  }
  if (transition.package && shippedUnits.length) {
    const p = transition.package
    order.packages = [
      ...(order.packages ?? []),
      {
        packageReferenceId: p.packageReferenceId ?? String((order.packages?.length ?? 0) + 1),
        createdTime: toAmazonIso(now),
        packageStatus: { status: "SHIPPED" },
        carrier: p.carrier,
        shipTime: toAmazonIso((p.shipTime ? parseIso(p.shipTime) : undefined) ?? now),
        ...(p.shippingService ? { shippingService: p.shippingService } : {}),
        trackingNumber: p.trackingNumber,
        packageItems: shippedUnits.map((u) => ({ orderItemId: u.orderItemId, quantity: u.quantity })),
      },
    ]
  }
  order.fulfillment = { ...order.fulfillment, fulfillmentStatus: to }
  touch(order, now)
}

/** A buyer asks to cancel: every item gets a cancellationRequest; the order stays where it is. */
export function requestBuyerCancellation(sim: SimOrder, reason: string | undefined, now: number): void {
  const status = statusOf(sim.order)
  if (!["PENDING_AVAILABILITY", "PENDING", "UNSHIPPED"].includes(status)) {
    throw new OrderRuleError(`a buyer can only ask to cancel an order that has not shipped (it is ${status})`)
  }
  for (const item of sim.order.orderItems) {
    item.cancellation = {
      ...item.cancellation,
      cancellationRequest: reason === undefined ? { requester: "BUYER" } : { requester: "BUYER", cancelReason: reason },
    }
  }
  touch(sim.order, now)
}

function remaining(item: OrderItem): number {
  return item.fulfillment?.quantityUnfulfilled ?? item.quantityOrdered - (item.fulfillment?.quantityFulfilled ?? 0)
}

function setFulfilled(item: OrderItem, fulfilled: number): void {
  item.fulfillment = { ...item.fulfillment, quantityFulfilled: fulfilled, quantityUnfulfilled: item.quantityOrdered - fulfilled }
}

function defaultPartialShipment(order: Order): { orderItemId: string; quantity: number }[] {
  const first = order.orderItems.find((i) => remaining(i) > 0)
  if (!first) throw new OrderRuleError("nothing left to ship")
  return [{ orderItemId: first.orderItemId, quantity: 1 }]
}

/** Check that every (orderItemId, quantity) exists and fits in what is still unshipped. Returns a message or undefined. */
export function checkShippableUnits(order: Order, units: { orderItemId: string; quantity: number }[]): string | undefined {
  const wanted = new Map<string, number>()
  for (const unit of units) {
    if (!Number.isInteger(unit.quantity) || unit.quantity < 1) return `quantity for order item ${unit.orderItemId} must be a positive integer`
    wanted.set(unit.orderItemId, (wanted.get(unit.orderItemId) ?? 0) + unit.quantity)
  }
  for (const [orderItemId, quantity] of wanted) {
    const item = order.orderItems.find((i) => i.orderItemId === orderItemId)
    if (!item) return `order item ${orderItemId} is not part of order ${order.orderId}`
    if (quantity > remaining(item)) return `quantity ${quantity} for order item ${orderItemId} exceeds the ${remaining(item)} unshipped unit(s)`
  }
  return undefined
}

function shipUnits(order: Order, units: { orderItemId: string; quantity: number }[]): void {
  const problem = checkShippableUnits(order, units)
  if (problem) throw new OrderRuleError(problem)
  for (const unit of units) {
    const item = order.orderItems.find((i) => i.orderItemId === unit.orderItemId)
    if (item) setFulfilled(item, (item.fulfillment?.quantityFulfilled ?? 0) + unit.quantity)
  }
}

function touch(order: Order, now: number): void {
  // lastUpdatedTime never goes backwards, even if the clock was seeded behind an order's timestamps.
  const previous = Date.parse(order.lastUpdatedTime)
  order.lastUpdatedTime = toAmazonIso(Math.max(now, previous))
}

/** Record a confirmShipment: the package, the shipped units and the resulting status. */
export function recordShipment(sim: SimOrder, shipment: ShipmentRecord, now: number): void {
  const order = sim.order
  shipUnits(order, shipment.items)
  order.packages = [
    ...(order.packages ?? []),
    {
      packageReferenceId: shipment.packageReferenceId,
      createdTime: toAmazonIso(now),
      packageStatus: { status: "SHIPPED" },
      carrier: shipment.carrierName ?? shipment.carrierCode,
      shipTime: toAmazonIso(parseIso(shipment.shipDate) ?? now),
      ...(shipment.shippingMethod ? { shippingService: shipment.shippingMethod } : {}),
      trackingNumber: shipment.trackingNumber,
      packageItems: shipment.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
    },
  ]
  const done = order.orderItems.every((i) => remaining(i) === 0)
  order.fulfillment = { ...order.fulfillment, fulfillmentStatus: done ? "SHIPPED" : "PARTIALLY_SHIPPED" }
  touch(order, now)
}

// ------------------------------------------------------------------ rendering

export const ORDER_INCLUDED_DATA = [
  "BUYER",
  "RECIPIENT",
  "PROCEEDS",
  "EXPENSE",
  "PROMOTION",
  "CANCELLATION",
  "FULFILLMENT",
  "PACKAGES",
  "TAX",
  "PAYMENT",
  "FULFILLMENT_ORDERS",
] as const

/**
 * Without includedData Amazon returns only the basics (ids, times, sales channel, programs, items with their
 * product). Each data set adds its sections. Prices are withheld while the order is PENDING; the buyer e-mail
 * and the recipient phone are withheld for Amazon-fulfilled orders.
 */
export function renderOrder(source: Order, includedData: readonly string[]): Order {
  const included = new Set(includedData)
  const pending = ["PENDING", "PENDING_AVAILABILITY"].includes(statusOf(source))
  const amazonFulfilled = source.fulfillment?.fulfilledBy === "AMAZON"

  const order: Order = {
    orderId: source.orderId,
    createdTime: source.createdTime,
    lastUpdatedTime: source.lastUpdatedTime,
    salesChannel: { ...source.salesChannel },
    orderItems: source.orderItems.map((item) => {
      const out: OrderItem = { orderItemId: item.orderItemId, quantityOrdered: item.quantityOrdered, product: structuredClone(item.product) }
      if (pending) delete out.product.price
      if (item.programs) out.programs = [...item.programs]
      if (item.measurement) out.measurement = { ...item.measurement }
      if (included.has("PROCEEDS") && item.proceeds && !pending) out.proceeds = structuredClone(item.proceeds)
      if (included.has("EXPENSE") && item.expense) out.expense = structuredClone(item.expense)
      if (included.has("PROMOTION") && item.promotion) out.promotion = structuredClone(item.promotion)
      if (included.has("CANCELLATION") && item.cancellation) out.cancellation = structuredClone(item.cancellation)
      if (included.has("FULFILLMENT") && item.fulfillment) out.fulfillment = structuredClone(item.fulfillment)
      if (included.has("TAX") && item.tax) out.tax = structuredClone(item.tax)
      return out
    }),
  }
  if (source.orderAliases) order.orderAliases = structuredClone(source.orderAliases)
  if (source.programs) order.programs = [...source.programs]
  if (source.associatedOrders) order.associatedOrders = structuredClone(source.associatedOrders)
  if (included.has("BUYER") && source.buyer) {
    order.buyer = structuredClone(source.buyer)
    if (amazonFulfilled) delete order.buyer.buyerEmail
  }
  if (included.has("RECIPIENT") && source.recipient) {
    order.recipient = structuredClone(source.recipient)
    if (amazonFulfilled && order.recipient.deliveryAddress) delete order.recipient.deliveryAddress.phone
  }
  if (included.has("PROCEEDS") && source.proceeds && !pending) order.proceeds = structuredClone(source.proceeds)
  if (included.has("FULFILLMENT") && source.fulfillment) order.fulfillment = structuredClone(source.fulfillment)
  if (included.has("PACKAGES") && !amazonFulfilled) order.packages = structuredClone(source.packages ?? [])
  if (included.has("TAX") && source.tax) order.tax = structuredClone(source.tax)
  if (included.has("PAYMENT") && source.payment && !pending) order.payment = structuredClone(source.payment)
  if (included.has("FULFILLMENT_ORDERS") && source.fulfillmentOrders) order.fulfillmentOrders = structuredClone(source.fulfillmentOrders)
  return order
}

// ------------------------------------------------------------------ shared with the order feeds

/** The units still to ship, per item; items with none left (shipped or cancelled) are left out. */
export function unshippedUnits(order: Order): { orderItemId: string; quantity: number }[] {
  return order.orderItems.filter((i) => remaining(i) > 0).map((i) => ({ orderItemId: i.orderItemId, quantity: remaining(i) }))
}

/** An item the seller, the buyer or Amazon cancelled (it carries a cancellationExecution). */
export function isItemCancelled(item: OrderItem): boolean {
  return item.cancellation?.cancellationExecution !== undefined
}

/**
 * The seller cancels some items of an order none of whose units has shipped (an order acknowledgement with
 * StatusCode Failure). Each item is marked as transitionOrder's CANCELLED marks every item (no unshipped
 * units left, a MERCHANT cancellationExecution with its own reason); the order becomes CANCELLED once every
 * item is. Items already cancelled keep their first cancellation.
 */
export function cancelItems(sim: SimOrder, items: { orderItemId: string; cancelReason?: string }[], now: number): void {
  const order = sim.order
  if (statusOf(order) !== "UNSHIPPED") throw new OrderRuleError(`only an UNSHIPPED order can be cancelled by the seller (it is ${statusOf(order)})`)
  if (order.orderItems.some((i) => (i.fulfillment?.quantityFulfilled ?? 0) > 0)) throw new OrderRuleError("units of this order have shipped")
  const targets = items.map((unit) => {
    const item = order.orderItems.find((i) => i.orderItemId === unit.orderItemId)
    if (!item) throw new OrderRuleError(`order item ${unit.orderItemId} is not part of order ${order.orderId}`)
    return { item, cancelReason: unit.cancelReason }
  })
  for (const { item, cancelReason } of targets) {
    if (isItemCancelled(item)) continue
    item.fulfillment = { ...item.fulfillment, quantityFulfilled: 0, quantityUnfulfilled: 0 }
    item.cancellation = {
      ...item.cancellation,
      cancellationExecution: cancelReason === undefined ? { cancelledBy: "MERCHANT" } : { cancelledBy: "MERCHANT", cancelReason },
    }
  }
  if (order.orderItems.every(isItemCancelled)) order.fulfillment = { ...order.fulfillment, fulfillmentStatus: "CANCELLED" }
  touch(order, now)
}
