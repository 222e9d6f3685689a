/**
 * Multi-Channel Fulfillment (Fulfillment Outbound API v2026-07-04): fulfillment orders shipped from the seller's FBA
 * stock, on the simulated clock.
 *
 * Life cycle of an order (timings in {@link McfTiming}, all simulated ms):
 *
 *   createOrder ── action HOLD ──► on hold (PROCESSING, stock reserved) ── updateOrder SHIP ──┐
 *        └──────── action SHIP ───────────────────────────────────────────────────────────────┴► planning
 *   planning (PROCESSING, no shipment; cancellable) ── planningMs ──► picking: one shipment PROCESSING
 *   picking ── shippingMs ──► shipment SHIPPED, one package IN_TRANSIT with tracking; reserved units leave the stock
 *   shipped ── deliveryMs[tier] ──► package DELIVERED, order COMPLETE (COMPLETE_PARTIAL when units were not shipped)
 *
 * Stock: units are reserved at creation (fulfillable → reserved.pendingCustomerOrder, for SHIP and HOLD orders), leave
 * the stock when the shipment ships, and go back to fulfillable when the order is cancelled. Every change updates the
 * FbaStock record (getInventorySummaries shows it) and sends FBA_INVENTORY_AVAILABILITY_CHANGES.
 *
 * Policies when fulfillable stock is short at creation: FILL_OR_KILL (default) → the order is created UNFULFILLABLE and
 * nothing is reserved; FILL_ALL_AVAILABLE → what is there ships, the rest is `unfulfillableAmount`, the order ends
 * COMPLETE_PARTIAL (UNFULFILLABLE when nothing is there); FILL_ALL → what is there ships, the rest waits (the order
 * stays PROCESSING) until the seller cancels it (cancelOrder cancels the waiting rest). Stock that arrives later is
 * not used for waiting units.
 */
import type { components } from "../../src/lib/amazon/generated/fulfillment-outbound-2026-07-04"
import { type SimClock, toAmazonIso } from "../clock"
import type { FaultManager } from "../faults"
import { getMarketplace } from "../marketplaces"
import type { SimState } from "../state"
import type { FbaStock, SellerAccount } from "../types"
import type { McfNotificationEvent } from "./notification-payloads"
import type { NotificationService } from "./notifications"

type Schemas = components["schemas"]
export type FulfillmentOrder = Schemas["FulfillmentOrder"]
export type CreateOrderRequest = Schemas["CreateOrderRequest"]
export type GetOrderPreviewRequest = Schemas["GetOrderPreviewRequest"]
export type GetOrderPreviewResponse = Schemas["GetOrderPreviewResponse"]
export type GetOffersRequest = Schemas["GetOffersRequest"]
export type GetOffersResponse = Schemas["GetOffersResponse"]
type Shipment = Schemas["Shipment"]
type Package = Schemas["Package"]
type Constraint = Schemas["Constraint"]
type Amount = Schemas["Amount"]
type Money = Schemas["Money"]

export type McfOrderStatus = "PROCESSING" | "COMPLETE" | "COMPLETE_PARTIAL" | "CANCELLED" | "UNFULFILLABLE" | "INVALID"
export type McfServiceTier = "STANDARD" | "EXPEDITED" | "PRIORITY" | "SCHEDULED"
export const MCF_POLICIES = ["FILL_OR_KILL", "FILL_ALL", "FILL_ALL_AVAILABLE"] as const
export type McfPolicy = (typeof MCF_POLICIES)[number]
export const MCF_SERVICE_TIERS: readonly McfServiceTier[] = ["STANDARD", "EXPEDITED", "PRIORITY", "SCHEDULED"]
/** Model: "PRIORITY (only available in Canada, India, and Mexico), SCHEDULED (only available in Japan)". */
const TIER_COUNTRIES: Partial<Record<McfServiceTier, readonly string[]>> = { PRIORITY: ["CA", "IN", "MX"], SCHEDULED: ["JP"] }

/**
 * Where an order is in its life cycle (the model's OrderStatus is PROCESSING for all the non-final phases).
 * `hold`: reserved, waiting for updateOrder; `planning`: released, no shipment yet; `picking`: shipment PROCESSING;
 * `shipped`: shipment SHIPPED, package in transit; `waiting`: FILL_ALL order whose shipped part is delivered and whose
 * rest waits for stock; `done`: final status.
 */
export type McfPhase = "hold" | "planning" | "picking" | "shipped" | "waiting" | "done"

export interface McfTiming {
  /** From release (createOrder with SHIP, or updateOrder HOLD → SHIP) to the shipment being planned and picked. */
  planningMs: number
  /** From picking to the shipment leaving the fulfillment center (SHIPPED, package IN_TRANSIT). */
  shippingMs: number
  /** From shipping to delivery (package DELIVERED, order COMPLETE), per service tier. */
  deliveryMs: Record<McfServiceTier, number>
  /** cancelOrder succeeds within this long after release (and while nothing has shipped). */
  cancelWindowMs: number
  /** An order left on HOLD this long is cancelled and its stock released (Amazon: "up to 14 days"). */
  holdMaxMs: number
  /** getOffers' expiryTime: now + this. */
  offerTtlMs: number
}

export const DEFAULT_MCF_TIMING: McfTiming = {
  planningMs: 2 * 60_000,
  shippingMs: 10 * 60_000,
  deliveryMs: { STANDARD: 30 * 60_000, EXPEDITED: 20 * 60_000, PRIORITY: 10 * 60_000, SCHEDULED: 30 * 60_000 },
  cancelWindowMs: 5 * 60_000,
  holdMaxMs: 14 * 24 * 3_600_000,
  offerTtlMs: 60 * 60_000,
}

interface McfLine {
  lineItemId: string
  sku: string
  product: Schemas["OrderProduct"]
  fulfillmentConfiguration?: Schemas["LineItemFulfillmentConfiguration"]
  quantity: number
  /** Units currently reserved in the FBA stock for this line. */
  reserved: number
  /** Units in a shipment that has shipped. */
  shipped: number
  cancelled: number
  unfulfillable: number
  /** FILL_ALL: units waiting for stock (neither reserved nor shipped). */
  waiting: number
}

interface McfPackageRecord {
  packageId: string
  status: "PROCESSING" | "IN_TRANSIT" | "DELIVERED"
  carrierCode: string
  trackingNumber: string
  amazonTrackingNumber: string
  deliveryTime: number
}

interface McfShipmentRecord {
  amazonShipmentId: string
  facilityId: string
  status: "PROCESSING" | "SHIPPED" | "CANCELLED"
  tier: McfServiceTier
  shipTime: number
  deliveryTime: number
  items: { shipmentItemId: string; lineItemId: string; sku: string; quantity: number }[]
  packages: McfPackageRecord[]
}

export interface McfOrderRecord {
  sellerId: string
  orderId: string
  marketplaceId: string
  request: CreateOrderRequest
  action: "SHIP" | "HOLD"
  policy: McfPolicy
  tier: McfServiceTier
  status: McfOrderStatus
  phase: McfPhase
  receivedAt: number
  statusUpdatedAt: number
  lastUpdatedAt: number
  /** When the order was released for shipping (creation for SHIP, updateOrder for HOLD). */
  releasedAt?: number
  lines: McfLine[]
  shipments: McfShipmentRecord[]
  /** Set by the mcf-unfulfillable fault: the fulfillment center finds no sellable unit when picking. */
  doomed?: boolean
  timer?: number
}

/** What the control API shows for an order. */
export interface McfOrderState {
  sellerId: string
  marketplaceId: string
  phase: McfPhase
  order: FulfillmentOrder
}

/** A request the API refuses (400 InvalidInput, or 404). */
export class McfRuleError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
    readonly details?: string,
  ) {
    super(message)
    this.name = "McfRuleError"
  }
}

const amount = (units: number): Amount => ({ unit: "EACHES", value: units.toFixed(1) })
const money = (value: number, currencyCode: string): Money => ({ currencyCode, amount: value.toFixed(2) })

/** Parse an Amount: a whole, positive number of EACHES ("1", "2.0"). */
export function parseUnits(value: Amount | undefined, field: string, allowZero = false): number {
  if (value?.unit !== undefined && value.unit !== "EACHES") throw new McfRuleError(`${field}.unit must be EACHES, got ${value.unit}.`)
  const raw = value?.value
  if (typeof raw !== "string" || !/^\d+(\.0+)?$/.test(raw.trim())) throw new McfRuleError(`${field}.value must be a whole number of units, got ${JSON.stringify(raw)}.`)
  const units = Number.parseInt(raw, 10)
  if (units < (allowZero ? 0 : 1)) throw new McfRuleError(`${field}.value must be at least ${allowZero ? 0 : 1}.`)
  return units
}

/** Fee table (per shipment, in the marketplace currency): base by tier + per extra unit. Simulator's own numbers. */
const FEES: Record<McfServiceTier, { base: number; perExtraUnit: number }> = {
  STANDARD: { base: 5.5, perExtraUnit: 1.0 },
  EXPEDITED: { base: 8.0, perExtraUnit: 1.5 },
  PRIORITY: { base: 12.0, perExtraUnit: 2.0 },
  SCHEDULED: { base: 9.0, perExtraUnit: 1.5 },
}
/** Rough scale of the fee table per currency (the table is in EUR/USD-sized units). */
const CURRENCY_SCALE: Record<string, number> = { JPY: 150, INR: 80, SEK: 11, PLN: 4, TRY: 30, MXN: 18, BRL: 5, AED: 4, AUD: 1.5, CAD: 1.4, SGD: 1.4 }

export function mcfFee(tier: McfServiceTier, units: number, currencyCode: string): number {
  const { base, perExtraUnit } = FEES[tier]
  const scale = CURRENCY_SCALE[currencyCode] ?? 1
  return Math.round((base + perExtraUnit * Math.max(0, units - 1)) * scale * 100) / 100
}

/** The carrier a package of a marketplace country goes with (simulator's choice). */
const CARRIERS: Record<string, { code: string; url?: (n: string) => string }> = {
  DE: { code: "DHL", url: (n) => `https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=${n}` },
  GB: { code: "ROYAL_MAIL", url: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}` },
  FR: { code: "COLISSIMO", url: (n) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${n}` },
  US: { code: "UPS", url: (n) => `https://www.ups.com/track?tracknum=${n}` },
}

export class McfService {
  /** key: `${sellerId}|${orderId}` */
  readonly orders = new Map<string, McfOrderRecord>()
  private sequence = 0

  constructor(
    private readonly state: SimState,
    private readonly clock: SimClock,
    private readonly faults: FaultManager,
    private readonly notifications: NotificationService,
    public timing: McfTiming = structuredClone(DEFAULT_MCF_TIMING),
  ) {}

  reset(): void {
    for (const order of this.orders.values()) if (order.timer !== undefined) this.clock.cancel(order.timer)
    this.orders.clear()
    this.sequence = 0
  }

  get(sellerId: string, orderId: string): McfOrderRecord | undefined {
    return this.orders.get(`${sellerId}|${orderId}`)
  }

  ordersOf(sellerId: string | undefined): McfOrderRecord[] {
    return [...this.orders.values()]
      .filter((o) => sellerId === undefined || o.sellerId === sellerId)
      .sort((a, b) => a.receivedAt - b.receivedAt || a.orderId.localeCompare(b.orderId))
  }

  // ------------------------------------------------------------ marketplace and stock

  /**
   * The marketplace (FBA stock pool) an order draws on. The API names no marketplace: the seller's marketplace of
   * `origin.countryCode` when given, else the one of the destination country, else the seller's first one.
   */
  marketplaceFor(seller: SellerAccount, originCountry: string | undefined, destinationCountry: string | undefined): string {
    const byCountry = (country: string) => seller.marketplaceIds.find((id) => getMarketplace(id)?.countryCode === (country === "UK" ? "GB" : country))
    if (originCountry !== undefined) {
      const id = byCountry(originCountry)
      if (!id) throw new McfRuleError(`Invalid origin.countryCode: ${originCountry}.`, 400, `The seller has no marketplace (and no FBA inventory) in ${originCountry}.`)
      return id
    }
    return (destinationCountry !== undefined ? byCountry(destinationCountry) : undefined) ?? seller.marketplaceIds[0]
  }

  private stockOf(sellerId: string, marketplaceId: string, sku: string): FbaStock | undefined {
    return this.state.stock(sellerId, marketplaceId, sku)
  }

  /** Change an FBA stock record and tell subscribers (FBA_INVENTORY_AVAILABILITY_CHANGES). */
  private changeStock(sellerId: string, marketplaceId: string, sku: string, change: (stock: FbaStock) => void): void {
    const stock = this.stockOf(sellerId, marketplaceId, sku)
    if (!stock) return
    const before = structuredClone(stock)
    change(stock)
    stock.lastUpdatedAt = this.clock.now()
    this.notifications.fbaStockChanged(before, stock, this.state.listing(sellerId, sku, marketplaceId)?.itemName)
  }

  private reserve(order: McfOrderRecord, line: McfLine, units: number): void {
    if (units <= 0) return
    this.changeStock(order.sellerId, order.marketplaceId, line.sku, (s) => {
      s.fulfillable -= units
      s.reserved.pendingCustomerOrder += units
    })
    line.reserved += units
  }

  /** Reserved units go back to fulfillable (`toDamaged`: to warehouse-damaged, as when the FC finds them damaged). */
  private release(order: McfOrderRecord, line: McfLine, toDamaged = false): number {
    const units = line.reserved
    if (units <= 0) return 0
    this.changeStock(order.sellerId, order.marketplaceId, line.sku, (s) => {
      s.reserved.pendingCustomerOrder = Math.max(0, s.reserved.pendingCustomerOrder - units)
      if (toDamaged) s.unfulfillable.warehouseDamaged += units
      else s.fulfillable += units
    })
    line.reserved = 0
    return units
  }

  // ------------------------------------------------------------ createOrder

  create(seller: SellerAccount, request: CreateOrderRequest): McfOrderRecord {
    const orderId = request.orderId
    if (orderId.trim() === "") throw new McfRuleError("orderId must not be empty.")
    // Amazon's answer to a repeated orderId is not documented; the simulator refuses it (no second order).
    if (this.get(seller.sellerId, orderId)) throw new McfRuleError(`A fulfillment order with orderId ${orderId} already exists.`, 400, "orderId must be unique per seller; use getOrder to read the existing order.")
    const config = request.fulfillmentConfiguration ?? {}
    const action = (config.action ?? "SHIP") as string
    if (action !== "SHIP" && action !== "HOLD") throw new McfRuleError(`Invalid fulfillmentConfiguration.action: ${action}. Allowed: SHIP, HOLD.`)
    const policy = (config.policy ?? "FILL_OR_KILL") as McfPolicy
    if (!MCF_POLICIES.includes(policy)) throw new McfRuleError(`Invalid fulfillmentConfiguration.policy: ${policy}. Allowed: ${MCF_POLICIES.join(", ")}.`)
    const destinationCountry = request.destination.deliveryAddress.countryCode
    const marketplaceId = this.marketplaceFor(seller, request.origin?.countryCode, destinationCountry)
    const tier = this.requestedTier(config.serviceLevel?.serviceTiers, destinationCountry)
    const packaging = config.services?.packaging?.packagingOption
    if (packaging !== undefined && packaging !== "UNBRANDED" && packaging !== "ANY") throw new McfRuleError(`Invalid packagingOption: ${packaging}. Allowed: UNBRANDED, ANY.`)
    if (request.lineItems.length === 0) throw new McfRuleError("lineItems must contain at least one item.")

    const seen = new Set<string>()
    const lines: McfLine[] = request.lineItems.map((item, i) => {
      if (seen.has(item.lineItemId)) throw new McfRuleError(`lineItemId ${item.lineItemId} is used more than once.`)
      seen.add(item.lineItemId)
      const sku = item.product.productIdentifier.amazonSku
      const quantity = parseUnits(item.amount, `lineItems[${i}].amount`)
      if (!this.stockOf(seller.sellerId, marketplaceId, sku)) {
        throw new McfRuleError(`The amazonSku for lineItemId: ${item.lineItemId} is invalid.`, 400, `${sku} has no FBA inventory in marketplace ${marketplaceId}.`)
      }
      return {
        lineItemId: item.lineItemId,
        sku,
        product: structuredClone(item.product),
        ...(item.fulfillmentConfiguration ? { fulfillmentConfiguration: structuredClone(item.fulfillmentConfiguration) } : {}),
        quantity,
        reserved: 0,
        shipped: 0,
        cancelled: 0,
        unfulfillable: 0,
        waiting: 0,
      }
    })

    const now = this.clock.now()
    const order: McfOrderRecord = {
      sellerId: seller.sellerId,
      orderId,
      marketplaceId,
      request: structuredClone(request),
      action,
      policy,
      tier,
      status: "PROCESSING",
      phase: action === "HOLD" ? "hold" : "planning",
      receivedAt: now,
      statusUpdatedAt: now,
      lastUpdatedAt: now,
      lines,
      shipments: [],
    }
    const skus = lines.map((l) => l.sku)
    order.doomed =
      this.faults.takeWhere("mcf-unfulfillable", (spec) => (spec.sku === undefined || skus.includes(spec.sku)) && (spec.sellerId === undefined || spec.sellerId === seller.sellerId)) !==
      undefined
    this.orders.set(`${seller.sellerId}|${orderId}`, order)

    // Stock check, summed per SKU (two lines of one SKU share its stock).
    const available = new Map<string, number>()
    for (const line of lines) available.set(line.sku, this.stockOf(seller.sellerId, marketplaceId, line.sku)?.fulfillable ?? 0)
    const allocation = lines.map((line) => {
      const left = available.get(line.sku) ?? 0
      const take = Math.min(left, line.quantity)
      available.set(line.sku, left - take)
      return take
    })
    const short = lines.some((line, i) => allocation[i] < line.quantity)
    const nothing = allocation.every((units) => units === 0)
    if (short && (policy === "FILL_OR_KILL" || (policy === "FILL_ALL_AVAILABLE" && nothing))) {
      for (const line of lines) line.unfulfillable = line.quantity
      this.finish(order, "UNFULFILLABLE")
      return order
    }
    lines.forEach((line, i) => {
      this.reserve(order, line, allocation[i])
      const rest = line.quantity - allocation[i]
      if (policy === "FILL_ALL_AVAILABLE") line.unfulfillable = rest
      else line.waiting = rest
    })
    this.notify(order, "Order", undefined, "Received")
    if (action === "SHIP") {
      this.startPlanning(order, now)
      this.notify(order, "Order")
    } else order.timer = this.clock.schedule(this.timing.holdMaxMs, () => this.expireHold(order))
    return order
  }

  private requestedTier(tiers: string[] | undefined, destinationCountry: string): McfServiceTier {
    for (const tier of tiers ?? []) {
      if (!MCF_SERVICE_TIERS.includes(tier as McfServiceTier)) throw new McfRuleError(`Invalid serviceTier: ${tier}. Allowed: ${MCF_SERVICE_TIERS.join(", ")}.`)
    }
    // Model: "Currently, only the first value in the array is used."
    const tier = (tiers?.[0] ?? "STANDARD") as McfServiceTier
    if (!tierAvailable(tier, destinationCountry)) throw new McfRuleError(`Service tier ${tier} is not available for destination country ${destinationCountry}.`)
    return tier
  }

  // ------------------------------------------------------------ updateOrder / cancelOrder

  /** updateOrder: only the action can change, and only from HOLD (HOLD → HOLD changes nothing). */
  update(order: McfOrderRecord, action: string | undefined): void {
    if (action === undefined) throw new McfRuleError("fulfillmentConfiguration.action is required.")
    if (action !== "SHIP" && action !== "HOLD") throw new McfRuleError(`Invalid fulfillmentConfiguration.action: ${action}. Allowed: SHIP, HOLD.`)
    if (order.phase !== "hold") {
      throw new McfRuleError(`The fulfillment order ${order.orderId} is not on hold (status ${order.status}); only orders created with action HOLD can be updated.`)
    }
    if (action === "HOLD") return
    if (order.timer !== undefined) this.clock.cancel(order.timer)
    order.action = "SHIP"
    order.phase = "planning"
    this.touch(order)
    this.notify(order, "Order")
    this.startPlanning(order, this.clock.now())
  }

  /** cancelOrder. Throws McfRuleError when Amazon would refuse. */
  cancel(order: McfOrderRecord): void {
    const now = this.clock.now()
    if (order.phase === "done") throw new McfRuleError(`The fulfillment order ${order.orderId} is ${order.status} and cannot be cancelled.`)
    if (this.faults.takeWhere("mcf-cancel-refused", (spec) => spec.sellerId === undefined || spec.sellerId === order.sellerId)) {
      throw new McfRuleError(`The fulfillment order ${order.orderId} could not be cancelled.`, 400, "The order is already being processed by the fulfillment center.")
    }
    const anyShipped = order.shipments.some((s) => s.status === "SHIPPED")
    if (anyShipped) {
      // FILL_ALL: the shipped part stands, the units still waiting for stock can be cancelled.
      const waiting = order.lines.some((l) => l.waiting > 0)
      const inFlight = order.lines.some((l) => l.reserved > 0)
      if (!waiting || inFlight) throw new McfRuleError(`The fulfillment order ${order.orderId} cannot be cancelled: units have already shipped.`)
      for (const line of order.lines) {
        line.cancelled += line.waiting
        line.waiting = 0
      }
      this.touch(order)
      if (order.phase === "waiting") this.complete(order)
      else this.notify(order, "Order")
      return
    }
    const inWindow = order.releasedAt === undefined || now - order.releasedAt <= this.timing.cancelWindowMs
    if ((order.phase === "planning" || order.phase === "picking") && !inWindow) {
      throw new McfRuleError(
        `The fulfillment order ${order.orderId} cannot be cancelled: the cancellation window has passed.`,
        400,
        `Orders can be cancelled within ${Math.round(this.timing.cancelWindowMs / 60_000)} minutes of being released for shipping.`,
      )
    }
    if (order.timer !== undefined) this.clock.cancel(order.timer)
    order.timer = undefined
    for (const line of order.lines) {
      this.release(order, line)
      line.cancelled = line.quantity - line.unfulfillable - line.shipped
      line.waiting = 0
    }
    for (const shipment of order.shipments) {
      if (shipment.status === "PROCESSING") {
        shipment.status = "CANCELLED"
        this.notify(order, "Shipment", shipment)
      }
    }
    this.finish(order, "CANCELLED")
  }

  private expireHold(order: McfOrderRecord): void {
    if (order.phase !== "hold") return
    order.timer = undefined
    for (const line of order.lines) {
      this.release(order, line)
      line.cancelled = line.quantity - line.unfulfillable
      line.waiting = 0
    }
    this.finish(order, "CANCELLED")
  }

  // ------------------------------------------------------------ life cycle

  private startPlanning(order: McfOrderRecord, now: number): void {
    order.releasedAt = now
    order.phase = "planning"
    order.timer = this.clock.schedule(this.timing.planningMs, () => this.pick(order))
  }

  /** Planning done: the fulfillment center starts picking (one shipment, PROCESSING). */
  private pick(order: McfOrderRecord): void {
    if (order.phase !== "planning") return
    order.timer = undefined
    const now = this.clock.now()
    if (order.doomed) {
      for (const line of order.lines) {
        line.unfulfillable += this.release(order, line, true) + line.waiting
        line.waiting = 0
      }
      this.finish(order, "UNFULFILLABLE")
      return
    }
    const items = order.lines.filter((l) => l.reserved > 0)
    if (items.length === 0) {
      // FILL_ALL with nothing in stock: the order waits (PROCESSING) until it is cancelled.
      order.phase = "waiting"
      return
    }
    this.sequence += 1
    const n = this.sequence
    const shipTime = now + this.timing.shippingMs
    const shipment: McfShipmentRecord = {
      amazonShipmentId: `D${(n * 7_919_111).toString(36).toUpperCase().padStart(8, "0").slice(-8)}`,
      facilityId: facilityOf(order.marketplaceId),
      status: "PROCESSING",
      tier: order.tier,
      shipTime,
      deliveryTime: shipTime + this.timing.deliveryMs[order.tier],
      items: items.map((line, i) => ({ shipmentItemId: `${n}${String(i + 1).padStart(3, "0")}`, lineItemId: line.lineItemId, sku: line.sku, quantity: line.reserved })),
      packages: [],
    }
    order.shipments.push(shipment)
    order.phase = "picking"
    this.touch(order)
    this.notify(order, "Shipment", shipment)
    order.timer = this.clock.schedule(this.timing.shippingMs, () => this.ship(order))
  }

  /** The shipment leaves the fulfillment center: reserved units leave the stock, a package is in transit. */
  private ship(order: McfOrderRecord): void {
    if (order.phase !== "picking") return
    order.timer = undefined
    const now = this.clock.now()
    const shipment = order.shipments.find((s) => s.status === "PROCESSING")
    if (!shipment) return
    const delivery = now + this.timing.deliveryMs[shipment.tier]
    const country = getMarketplace(order.marketplaceId)?.countryCode ?? "US"
    const carrier = CARRIERS[country]?.code ?? "AMZN"
    const seq = this.sequence * 1_000 + order.shipments.length
    shipment.status = "SHIPPED"
    shipment.shipTime = now
    shipment.deliveryTime = delivery
    shipment.packages.push({
      packageId: `PKG-${shipment.amazonShipmentId}-1`,
      status: "IN_TRANSIT",
      carrierCode: carrier,
      trackingNumber: `${carrier === "AMZN" ? "TBA" : ""}${String(100_000_000_000 + seq * 7_919).slice(-12)}`,
      amazonTrackingNumber: `TBA${String(300_000_000_000 + seq * 104_729).slice(-12)}`,
      deliveryTime: delivery,
    })
    for (const item of shipment.items) {
      const line = order.lines.find((l) => l.lineItemId === item.lineItemId) as McfLine
      this.changeStock(order.sellerId, order.marketplaceId, line.sku, (s) => {
        s.reserved.pendingCustomerOrder = Math.max(0, s.reserved.pendingCustomerOrder - item.quantity)
      })
      line.reserved -= item.quantity
      line.shipped += item.quantity
    }
    order.phase = "shipped"
    this.touch(order)
    this.notify(order, "Shipment", shipment)
    order.timer = this.clock.schedule(delivery - now, () => this.deliver(order))
  }

  private deliver(order: McfOrderRecord): void {
    if (order.phase !== "shipped") return
    order.timer = undefined
    for (const shipment of order.shipments) for (const pkg of shipment.packages) if (pkg.status === "IN_TRANSIT") pkg.status = "DELIVERED"
    if (order.lines.some((l) => l.waiting > 0)) {
      order.phase = "waiting"
      this.touch(order)
      this.notify(order, "Shipment", order.shipments[order.shipments.length - 1])
      return
    }
    this.complete(order)
  }

  private complete(order: McfOrderRecord): void {
    const all = order.lines.every((l) => l.shipped === l.quantity)
    const any = order.lines.some((l) => l.shipped > 0)
    const shipment = [...order.shipments].reverse().find((s) => s.status === "SHIPPED")
    this.finish(order, all ? "COMPLETE" : any ? "COMPLETE_PARTIAL" : "CANCELLED", shipment)
  }

  /** Enter a final status and tell subscribers. */
  private finish(order: McfOrderRecord, status: McfOrderStatus, shipment?: McfShipmentRecord): void {
    if (order.timer !== undefined) this.clock.cancel(order.timer)
    order.timer = undefined
    order.phase = "done"
    order.status = status
    this.touch(order)
    this.notify(order, shipment ? "Shipment" : "Order", shipment)
  }

  private touch(order: McfOrderRecord): void {
    const now = this.clock.now()
    order.statusUpdatedAt = now
    order.lastUpdatedAt = now
  }

  /** Move an order on now (control API): through picking to "shipped", or on to "delivered". */
  advance(order: McfOrderRecord, to: "shipped" | "delivered"): void {
    if (order.timer !== undefined) this.clock.cancel(order.timer)
    order.timer = undefined
    if (order.phase === "planning") this.pick(order)
    if (order.phase === "picking") {
      if (order.timer !== undefined) this.clock.cancel(order.timer)
      this.ship(order)
    }
    if (to === "delivered" && order.phase === "shipped") {
      if (order.timer !== undefined) this.clock.cancel(order.timer)
      this.deliver(order)
    }
  }

  // ------------------------------------------------------------ notifications

  private notify(order: McfOrderRecord, eventType: "Order" | "Shipment", shipment?: McfShipmentRecord, status = notificationStatus(order)): void {
    const event: McfNotificationEvent = {
      sellerId: order.sellerId,
      orderId: order.orderId,
      eventType,
      fulfillmentOrderStatus: status,
      statusUpdatedAt: order.statusUpdatedAt,
      ...(shipment
        ? {
            shipment: {
              status: shipment.status === "PROCESSING" ? "Pending" : shipment.status === "SHIPPED" ? "Shipped" : "CancelledBySeller",
              amazonShipmentId: shipment.amazonShipmentId,
              ...(shipment.status !== "CANCELLED" ? { estimatedArrival: shipment.deliveryTime } : {}),
              packages: shipment.packages.map((p, i) => ({ number: i + 1, carrierCode: p.carrierCode, trackingNumber: p.trackingNumber })),
            },
          }
        : {}),
    }
    this.notifications.fulfillmentOrderChanged(event, this.clock.now())
  }

  // ------------------------------------------------------------ rendering

  render(order: McfOrderRecord, withShipments = true): FulfillmentOrder {
    const config = order.request.fulfillmentConfiguration ?? {}
    const out: FulfillmentOrder = {
      orderId: order.orderId,
      ...(order.request.channel !== undefined ? { channel: order.request.channel } : {}),
      receiveTime: toAmazonIso(order.receivedAt),
      status: order.status,
      statusUpdateTime: toAmazonIso(order.statusUpdatedAt),
      fulfillmentConfiguration: {
        serviceLevel: { ...structuredClone(config.serviceLevel ?? {}), serviceTiers: config.serviceLevel?.serviceTiers?.length ? [...config.serviceLevel.serviceTiers] : [order.tier] },
        action: order.action,
        policy: order.policy,
        ...(config.services ? { services: structuredClone(config.services) } : {}),
      },
      origin: order.request.origin ? structuredClone(order.request.origin) : { countryCode: getMarketplace(order.marketplaceId)?.countryCode ?? "US" },
      destination: structuredClone(order.request.destination),
      lineItems: order.lines.map((line) => ({
        lineItemId: line.lineItemId,
        product: structuredClone(line.product),
        amount: amount(line.quantity),
        cancelledAmount: amount(line.cancelled),
        unfulfillableAmount: amount(line.unfulfillable),
        ...(line.fulfillmentConfiguration ? { fulfillmentConfiguration: structuredClone(line.fulfillmentConfiguration) } : {}),
      })),
      ...(order.request.paymentInformation ? { paymentInformation: structuredClone(order.request.paymentInformation) } : {}),
    }
    if (withShipments) out.shipments = order.shipments.map((s) => this.renderShipment(order, s))
    return out
  }

  private renderShipment(order: McfOrderRecord, s: McfShipmentRecord): Shipment {
    const country = getMarketplace(order.marketplaceId)?.countryCode ?? "US"
    const domain = getMarketplace(order.marketplaceId)?.domainName.replace(/^www\./, "") ?? "amazon.com"
    // One package per shipment: every item is in it.
    const packageId = s.packages[0]?.packageId
    const out: Shipment = {
      amazonShipmentId: s.amazonShipmentId,
      amazonFacility: { facilityId: s.facilityId },
      status: s.status,
      items: s.items.map((item) => ({
        shipmentItemId: item.shipmentItemId,
        productIdentifier: { amazonSku: item.sku },
        lineItemId: item.lineItemId,
        amount: amount(item.quantity),
        ...(packageId ? { packageId } : {}),
      })),
      serviceLevel: { serviceTier: s.tier },
    }
    if (s.status !== "CANCELLED") {
      out.shipTime = toAmazonIso(s.shipTime)
      out.deliveryTime = toAmazonIso(s.deliveryTime)
    }
    if (s.packages.length > 0) {
      out.packages = s.packages.map(
        (p): Package => ({
          packageId: p.packageId,
          status: p.status,
          deliveryTime: toAmazonIso(p.deliveryTime),
          shipmentItemIds: s.items.map((i) => i.shipmentItemId),
          tracking: {
            carrier: {
              carrierCode: p.carrierCode,
              trackingNumber: p.trackingNumber,
              ...(CARRIERS[country]?.url ? { trackingUrl: (CARRIERS[country].url as (n: string) => string)(p.trackingNumber) } : {}),
            },
            amazon: { trackingNumber: p.amazonTrackingNumber, trackingUrl: `https://track.${domain}/tracking/${p.amazonTrackingNumber}` },
          },
        }),
      )
    }
    return out
  }

  // ------------------------------------------------------------ getOrderPreview / getOffers

  private windows(tier: McfServiceTier, now: number) {
    const shipStart = now + this.timing.planningMs
    const shipEnd = shipStart + this.timing.shippingMs
    return { ship: { startTime: toAmazonIso(shipStart), endTime: toAmazonIso(shipEnd) }, delivery: { startTime: toAmazonIso(shipEnd), endTime: toAmazonIso(shipEnd + this.timing.deliveryMs[tier]) } }
  }

  preview(seller: SellerAccount, request: GetOrderPreviewRequest): GetOrderPreviewResponse {
    const destinationCountry = request.destination.deliveryAddress.countryCode
    const marketplaceId = this.marketplaceFor(seller, request.origin?.countryCode, destinationCountry)
    const currencyCode = getMarketplace(marketplaceId)?.defaultCurrencyCode ?? "USD"
    const tiers = this.previewTiers(request.fulfillmentConfiguration?.serviceLevel?.serviceTiers)
    const packagingOption = request.fulfillmentConfiguration?.services?.packaging?.packagingOption
    const constraints: Constraint[] = []
    const available = new Map<string, number>()
    const planned: { sku: string; units: number }[] = []
    request.lineItems.forEach((item, i) => {
      const sku = item.product.productIdentifier.amazonSku
      const wanted = parseUnits(item.amount, `lineItems[${i}].amount`)
      const stock = this.stockOf(seller.sellerId, marketplaceId, sku)
      if (!stock) {
        constraints.push({ message: `The item ${sku} is not available for Multi-Channel Fulfillment.`, type: "ValidationError", code: "InvalidSku", details: [{ type: "amazonSku", value: sku }] })
        return
      }
      const left = available.get(sku) ?? stock.fulfillable
      const units = Math.min(left, wanted)
      available.set(sku, left - units)
      if (units < wanted) {
        constraints.push({
          message: `There is not enough quantity of item ${sku}.`,
          type: "ValidationError",
          code: "ItemQuantityNotAvailable",
          details: [
            { type: "amazonSku", value: sku },
            { type: "requestedQuantity", value: String(wanted) },
            { type: "availableQuantity", value: String(units) },
          ],
        })
      }
      if (units > 0) planned.push({ sku, units })
    })
    for (const tier of tiers) {
      if (!tierAvailable(tier, destinationCountry)) constraints.push(slaUnavailable(tier, destinationCountry))
    }
    const offeredTiers = tiers.filter((t) => tierAvailable(t, destinationCountry))
    const now = this.clock.now()
    const totalUnits = planned.reduce((sum, p) => sum + p.units, 0)
    const response: GetOrderPreviewResponse = { plannedShipments: [] }
    if (planned.length > 0) {
      response.plannedShipments.push({
        estimatedShippingWeight: { unit: "KG", value: (0.5 * totalUnits).toFixed(1) },
        items: planned.map((p) => ({ productIdentifier: { amazonSku: p.sku }, amount: amount(p.units) })),
        offers: offeredTiers.map((tier) => {
          const w = this.windows(tier, now)
          const fee = money(mcfFee(tier, totalUnits, currencyCode), currencyCode)
          return {
            fulfillmentConfiguration: {
              serviceLevel: { serviceTier: tier, deliveryInterval: w.delivery, shipInterval: w.ship },
              services: { packaging: { packagingOption: packagingOption ?? "ANY" } },
            },
            ...(request.excludeEstimatedFees ? {} : { estimatedPrice: { rollupPrices: [{ type: "MCFTransportationFee", value: fee }], totalPrice: fee } }),
          }
        }),
      })
    }
    if (constraints.length > 0) response.constraints = constraints
    return response
  }

  offers(seller: SellerAccount, request: GetOffersRequest): GetOffersResponse {
    const destinationCountry = request.destination?.deliveryAddress?.countryCode
    const marketplaceId = this.marketplaceFor(seller, request.origin.countryCode, destinationCountry)
    const country = destinationCountry ?? request.origin.countryCode
    const tiers = this.previewTiers(request.fulfillmentConfiguration?.serviceLevel?.serviceTiers)
    const now = this.clock.now()
    return {
      offerResults: request.items.map((item) => {
        const sku = item.productIdentifier?.amazonSku
        if (sku === undefined) throw new McfRuleError("items[].productIdentifier.amazonSku is required.")
        const stock = this.stockOf(seller.sellerId, marketplaceId, sku)
        const constraints: Constraint[] = []
        if (!stock) constraints.push({ message: `The item ${sku} is not available for Multi-Channel Fulfillment.`, type: "ValidationError", code: "InvalidSku", details: [{ type: "amazonSku", value: sku }] })
        else if (stock.fulfillable < 1) {
          constraints.push({ message: `There is not enough quantity of item ${sku}.`, type: "ValidationError", code: "ItemQuantityNotAvailable", details: [{ type: "amazonSku", value: sku }] })
        }
        const offered = constraints.length > 0 ? [] : tiers.filter((tier) => tierAvailable(tier, country))
        if (constraints.length === 0) {
          for (const tier of tiers) if (!tierAvailable(tier, country)) constraints.push({ ...slaUnavailable(tier, country), details: [{ type: "serviceTier", value: tier }, { type: "amazonSku", value: sku }] })
        }
        return {
          item: { productIdentifier: { amazonSku: sku } },
          offers: offered.map((tier) => ({
            expiryTime: toAmazonIso(now + this.timing.offerTtlMs),
            fulfillmentConfiguration: { serviceLevel: { serviceTier: tier, deliveryInterval: this.windows(tier, now).delivery } },
          })),
          ...(constraints.length > 0 ? { constraints } : {}),
        }
      }),
    }
  }

  /** Tiers asked for in a preview / offers request (all but SCHEDULED by default). */
  private previewTiers(tiers: string[] | undefined): McfServiceTier[] {
    for (const tier of tiers ?? []) {
      if (!MCF_SERVICE_TIERS.includes(tier as McfServiceTier)) throw new McfRuleError(`Invalid serviceTier: ${tier}. Allowed: ${MCF_SERVICE_TIERS.join(", ")}.`)
    }
    return tiers?.length ? [...new Set(tiers as McfServiceTier[])] : ["STANDARD", "EXPEDITED", "PRIORITY"]
  }
}

function tierAvailable(tier: McfServiceTier, country: string | undefined): boolean {
  const only = TIER_COUNTRIES[tier]
  return !only || (country !== undefined && only.includes(country))
}

function slaUnavailable(tier: McfServiceTier, country: string | undefined): Constraint {
  return {
    message: `${tier} delivery unavailable for destination ${country ?? "(unknown)"}.`,
    type: "ValidationError",
    code: "DeliverySLAUnavailable",
    details: [{ type: "serviceTier", value: tier }],
  }
}

/** A fulfillment center id of the marketplace's country (Amazon FC codes look like `LEJ1`, `BHX4`). */
function facilityOf(marketplaceId: string): string {
  const fc: Record<string, string> = { DE: "LEJ1", GB: "BHX4", FR: "ORY1", IT: "MXP5", ES: "MAD4", US: "SEA8", CA: "YYZ4", JP: "NRT2" }
  return fc[getMarketplace(marketplaceId)?.countryCode ?? ""] ?? "FC01"
}

/** FULFILLMENT_ORDER_STATUS spelling of the order status (Notifications API use case guide). */
function notificationStatus(order: McfOrderRecord): string {
  switch (order.status) {
    case "COMPLETE":
      return "Complete"
    case "COMPLETE_PARTIAL":
      return "CompletePartialled"
    case "CANCELLED":
      return "Cancelled"
    case "UNFULFILLABLE":
      return "Unfulfillable"
    case "INVALID":
      return "Invalid"
    default:
      return order.phase === "hold" ? "Received" : order.phase === "planning" ? "Planning" : "Processing"
  }
}

