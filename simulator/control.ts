/**
 * The simulator's control surface: seed and read state, move orders along, inject faults, steer the clock.
 * Tests call these methods directly; the `/_sim/*` HTTP routes are a thin JSON layer over them.
 */
import { gunzipSync } from "node:zlib"
import { toAmazonIso } from "./clock"
import type { SimContext } from "./context"
import type { FeedTiming, ReportCompression } from "./domain/feed-service"
import { decodeCp1252 } from "./domain/report-document"
import type { ReportTiming } from "./domain/report-service"
import { DEFAULT_MCF_TIMING, type McfOrderState, type McfServiceTier, type McfTiming } from "./domain/mcf-orders"
import { applicationIdOf, type NotificationCounts, type ProcessingDirective } from "./domain/notifications"
import { type CreateQueueInput, QueueExistsError, queueUrlOf, type SqsMessageView, type SqsQueue, type SqsQueueState } from "./domain/sqs"
import { FULFILLMENT_AVAILABILITY, fbaChannel, MFN_CHANNEL, mfnQuantity } from "./domain/listing-patches"
import { CONDITION_TYPES } from "./domain/listing-view"
import { buildOrder, OrderRuleError, type OrderTransition, requestBuyerCancellation, transitionOrder } from "./domain/orders"
import type { ActiveFault, FaultSpec } from "./faults"
import { getMarketplace, type Region } from "./marketplaces"
import { type OperationKey, SIMULATED_OPERATIONS, type UsagePlan } from "./operations"
import type { OperationCounters } from "./counters"
import { stockKey } from "./state"
import type {
  AttributeEntry,
  FbaStock,
  FbaStockSeed,
  FeedRecord,
  ListingSeed,
  Order,
  OrderPackage,
  OrderSeed,
  ReportRecord,
  SellerAccount,
  SellerSeed,
  ShipmentRecord,
  SimListing,
} from "./types"

/** A control call that cannot be honoured; `status` is what the HTTP layer answers. */
export class ControlError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message)
    this.name = "ControlError"
  }
}

export interface SeedData {
  sellers?: SellerSeed[]
  listings?: ListingSeed[]
  fbaInventory?: FbaStockSeed[]
  orders?: OrderSeed[]
}

export interface ListingState {
  sellerId: string
  sku: string
  asin?: string
  productType: string
  marketplaceIds: string[]
  /** FBA channel (AMAZON_EU, …) when the SKU is Amazon-fulfilled. */
  fbaChannel?: string
  /** The MFN (DEFAULT channel) quantity Amazon would show; null when none is set. */
  quantity: number | null
  attributes: Record<string, AttributeEntry[]>
  createdTime: string
  lastUpdatedTime: string
}

export interface FeedState {
  feedId: string
  sellerId: string
  feedType: string
  marketplaceIds: string[]
  processingStatus: FeedRecord["status"]
  createdTime: string
  processingStartTime?: string
  processingEndTime?: string
  resultFeedDocumentId?: string
  stuck: boolean
  /** The uploaded document, as text (undefined when nothing was uploaded). */
  inputDocument?: string
  /** The processing report (uncompressed), once DONE or FATAL. */
  report?: FeedRecord["report"]
}

export interface ReportState {
  reportId: string
  sellerId: string
  reportType: string
  marketplaceIds: string[]
  processingStatus: ReportRecord["status"]
  createdTime: string
  processingStartTime?: string
  processingEndTime?: string
  /** When the reported data was taken (GET_MERCHANT_LISTINGS_ALL_DATA, once DONE). */
  dataEndTime?: string
  reportDocumentId?: string
  compressionAlgorithm?: "GZIP"
  /** Stored size of the document (compressed when GZIP) and of its text. */
  documentBytes?: number
  uncompressedBytes?: number
  /** Data rows in the document (GET_MERCHANT_LISTINGS_ALL_DATA). */
  rowCount?: number
  /** Set when the report served a cached earlier snapshot: the report that took it. */
  cachedFromReportId?: string
}

export interface SqsQueueCredentials {
  queueUrl: string
  queueArn: string
  accessKeyId: string
  secretAccessKey: string
}

export interface DestinationState {
  destinationId: string
  name: string
  /** The application that owns it: its LWA client id and Amazon application id. */
  clientId: string
  applicationId: string
  resource: { sqs: { arn: string } } | { eventBridge: { accountId: string; region: string; name: string } }
}

export interface SubscriptionState {
  subscriptionId: string
  sellerId: string
  clientId: string
  applicationId: string
  notificationType: string
  payloadVersion: string
  destinationId: string
  processingDirective?: ProcessingDirective
}

export interface SimSnapshot {
  now: string
  timeScale: number
  sellers: SellerAccount[]
  listings: ListingState[]
  fbaInventory: FbaStock[]
  orders: Order[]
  feeds: FeedState[]
  reports: ReportState[]
  shipments: ShipmentRecord[]
  mcfOrders: McfOrderState[]
  counters: Record<string, OperationCounters>
  faults: ActiveFault[]
}

function nonNegativeInt(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw new ControlError(`${field} must be a whole number >= 0, got ${JSON.stringify(value)}`)
  return value as number
}

export class SimControl {
  constructor(private readonly ctx: SimContext) {}

  // ------------------------------------------------------------ whole state

  /** Seed several kinds of data at once (sellers first). */
  seed(data: SeedData): void {
    for (const seller of data.sellers ?? []) this.seedSeller(seller)
    if (data.listings) this.seedListings(data.listings)
    if (data.fbaInventory) this.setFbaInventory(data.fbaInventory)
    if (data.orders) this.seedOrders(data.orders)
  }

  /**
   * Forget everything: data, tokens, feeds and their timers, faults, counters, quotas, pagination cursors, SQS queues,
   * notification destinations, subscriptions and EventBridge routes, MCF orders (their timings stay).
   */
  reset(): void {
    this.ctx.mcf.reset()
    this.ctx.clock.cancelAll()
    this.ctx.feeds.reset()
    this.ctx.sqs.reset()
    this.ctx.notifications.reset()
    this.ctx.state.clear()
    this.ctx.faults.clear()
    this.ctx.counters.reset()
    this.ctx.quotas.reset()
    this.ctx.cursors.orders.clear()
    this.ctx.cursors.fba.clear()
  }

  snapshot(): SimSnapshot {
    return {
      now: new Date(this.ctx.clock.now()).toISOString(),
      timeScale: this.ctx.clock.timeScale,
      sellers: this.listSellers(),
      listings: this.listListings(),
      fbaInventory: this.listFbaInventory(),
      orders: this.listOrders(),
      feeds: this.listFeeds(),
      reports: this.listReports(),
      shipments: this.listShipments(),
      mcfOrders: this.listMcfOrders(),
      counters: this.counters(),
      faults: this.listFaults(),
    }
  }

  // ------------------------------------------------------------ sellers

  seedSeller(seed: SellerSeed): SellerAccount {
    for (const field of ["sellerId", "clientId", "clientSecret", "refreshToken"] as const) {
      if (typeof seed?.[field] !== "string" || seed[field] === "") throw new ControlError(`seller.${field} is required`)
    }
    if (!Array.isArray(seed.marketplaceIds) || seed.marketplaceIds.length === 0) throw new ControlError("seller.marketplaceIds needs at least one id")
    const markets = seed.marketplaceIds.map((id) => {
      const m = getMarketplace(id)
      if (!m) throw new ControlError(`unknown marketplace id ${id}`)
      return m
    })
    const region: Region = seed.region ?? markets[0].region
    if (!["NA", "EU", "FE"].includes(region)) throw new ControlError(`region must be NA, EU or FE`)
    const wrongRegion = markets.filter((m) => m.region !== region)
    if (wrongRegion.length > 0) throw new ControlError(`marketplaces ${wrongRegion.map((m) => m.id).join(", ")} are not in region ${region}`)
    for (const other of this.ctx.state.sellers.values()) {
      if (other.sellerId !== seed.sellerId && other.refreshToken === seed.refreshToken) {
        throw new ControlError(`refresh token already belongs to seller ${other.sellerId}`, 409)
      }
    }
    const account: SellerAccount = {
      sellerId: seed.sellerId,
      clientId: seed.clientId,
      clientSecret: seed.clientSecret,
      refreshToken: seed.refreshToken,
      marketplaceIds: [...seed.marketplaceIds],
      region,
      storeName: seed.storeName ?? `Store ${seed.sellerId}`,
    }
    this.ctx.state.sellers.set(account.sellerId, account)
    return { ...account }
  }

  listSellers(): SellerAccount[] {
    return [...this.ctx.state.sellers.values()].map((s) => ({ ...s, marketplaceIds: [...s.marketplaceIds] }))
  }

  private seller(sellerId: string | undefined): SellerAccount {
    let id: string
    try {
      id = sellerId ?? this.ctx.state.defaultSellerId()
    } catch (error) {
      throw new ControlError((error as Error).message)
    }
    const seller = this.ctx.state.seller(id)
    if (!seller) throw new ControlError(`unknown seller ${id}`, 404)
    return seller
  }

  /** Make every access token issued so far expired (clients must refresh). Returns how many were live. */
  expireAccessTokens(): number {
    const now = this.ctx.clock.now()
    let live = 0
    for (const token of this.ctx.state.accessTokens.values()) {
      if (token.expiresAt > now) live += 1
      token.expiresAt = Math.min(token.expiresAt, now)
    }
    return live
  }

  // ------------------------------------------------------------ listings

  seedListings(seeds: ListingSeed[]): ListingState[] {
    return seeds.map((seed) => this.seedListing(seed))
  }

  /**
   * Create or replace a listing. A listing replaces the seller's listings of the same SKU that share one of its
   * marketplaces; listings of the SKU in other marketplaces stay, each with its own quantity (a SKU listed
   * separately per marketplace, as a non-unified seller has it). Several `marketplaceIds` make one unified listing
   * that shares one merchant quantity across them.
   */
  seedListing(seed: ListingSeed): ListingState {
    if (typeof seed?.sku !== "string" || seed.sku === "") throw new ControlError("listing.sku is required")
    const seller = this.seller(seed.sellerId)
    const marketplaceIds = seed.marketplaceIds ?? (seed.marketplaceId ? [seed.marketplaceId] : [seller.marketplaceIds[0]])
    const foreign = marketplaceIds.filter((m) => !seller.marketplaceIds.includes(m))
    if (marketplaceIds.length === 0 || foreign.length > 0) throw new ControlError(`seller ${seller.sellerId} does not sell in ${foreign.join(", ") || "(none)"}`)
    const channel = seed.fulfillmentChannel ?? MFN_CHANNEL
    if (channel !== MFN_CHANNEL && !/^AMAZON_[A-Z]{2}$/.test(channel)) throw new ControlError(`fulfillmentChannel must be DEFAULT or AMAZON_xx, got ${channel}`)
    if (channel !== MFN_CHANNEL && seed.quantity !== undefined) {
      throw new ControlError("quantity is the MFN (DEFAULT channel) quantity; set FBA stock with setFbaInventory instead")
    }
    const conditionType = seed.conditionType ?? "new_new"
    if (!CONDITION_TYPES.includes(conditionType)) throw new ControlError(`unknown conditionType ${conditionType}`)

    const entry: AttributeEntry = { fulfillment_channel_code: channel }
    if (channel === MFN_CHANNEL) entry.quantity = nonNegativeInt(seed.quantity ?? 0, "quantity")
    if (seed.leadTimeToShipMaxDays !== undefined) entry.lead_time_to_ship_max_days = nonNegativeInt(seed.leadTimeToShipMaxDays, "leadTimeToShipMaxDays")
    const attributes: Record<string, AttributeEntry[]> = { [FULFILLMENT_AVAILABILITY]: [entry], ...structuredClone(seed.attributes ?? {}) }
    if (seed.itemName && !attributes.item_name) {
      attributes.item_name = marketplaceIds.map((marketplace_id) => ({ value: seed.itemName, marketplace_id }))
    }

    const now = this.ctx.clock.now()
    const existing = this.ctx.state.listingsOfSku(seller.sellerId, seed.sku).find((l) => l.marketplaceIds.some((m) => marketplaceIds.includes(m)))
    const currency = getMarketplace(marketplaceIds[0])?.defaultCurrencyCode ?? "USD"
    const listing: SimListing = {
      sellerId: seller.sellerId,
      sku: seed.sku,
      ...(seed.asin ? { asin: seed.asin } : {}),
      ...(seed.fnSku ? { fnSku: seed.fnSku } : {}),
      productType: seed.productType ?? "PRODUCT",
      marketplaceIds: [...marketplaceIds],
      ...(seed.itemName ? { itemName: seed.itemName } : {}),
      conditionType,
      ...(seed.status ? { status: [...seed.status] } : {}),
      attributes,
      ...(seed.price !== undefined ? { price: { amount: String(seed.price.amount), currencyCode: seed.price.currencyCode ?? currency } } : {}),
      issues: structuredClone(seed.issues ?? []),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    }
    this.ctx.state.putListing(listing)
    return this.listingState(listing)
  }

  listListings(sellerId?: string): ListingState[] {
    return [...this.ctx.state.listings.values()]
      .filter((l) => sellerId === undefined || l.sellerId === sellerId)
      .sort((a, b) => a.sellerId.localeCompare(b.sellerId) || a.sku.localeCompare(b.sku))
      .map((l) => this.listingState(l))
  }

  /**
   * The MFN (DEFAULT channel) quantity Amazon would show for a SKU; undefined for unknown SKUs (or not offered in
   * `marketplaceId`) or none set. With `marketplaceId`: the quantity of the listing offered there (a unified
   * listing answers the same for each of its marketplaces); without: the SKU's first listing.
   */
  getQuantity(sku: string, sellerId?: string, marketplaceId?: string): number | undefined {
    const listing = this.ctx.state.listing(this.seller(sellerId).sellerId, sku, marketplaceId)
    return listing ? mfnQuantity(listing) : undefined
  }

  /**
   * SKU → MFN quantity (null when the listing has none, e.g. FBA-only). With `marketplaceId` only the listings
   * offered there, with their quantity there; without, each SKU's first listing.
   */
  quantities(sellerId?: string, marketplaceId?: string): Record<string, number | null> {
    const seller = this.seller(sellerId)
    const out: Record<string, number | null> = {}
    const skus = [...new Set(this.ctx.state.listingsOf(seller.sellerId).map((l) => l.sku))].sort((a, b) => a.localeCompare(b))
    for (const sku of skus) {
      const listing = this.ctx.state.listing(seller.sellerId, sku, marketplaceId)
      if (listing) out[sku] = mfnQuantity(listing) ?? null
    }
    return out
  }

  /**
   * Change a listing's merchant (DEFAULT channel) quantity behind the client's back, as an edit in Seller Central
   * would: only that quantity changes (lead time and other attributes stay), lastUpdatedTime becomes now. A unified
   * listing changes in all its marketplaces. `marketplaceId` is required when the SKU is listed separately in
   * several marketplaces. FBA listings have no merchant quantity (409; use setFbaStock).
   */
  setQuantity(sku: string, quantity: number, options: { sellerId?: string; marketplaceId?: string } = {}): ListingState {
    const seller = this.seller(options.sellerId)
    const value = nonNegativeInt(quantity, "quantity")
    const { marketplaceId } = options
    if (marketplaceId !== undefined && !seller.marketplaceIds.includes(marketplaceId)) throw new ControlError(`seller ${seller.sellerId} does not sell in ${marketplaceId}`)
    const all = this.ctx.state.listingsOfSku(seller.sellerId, sku)
    if (marketplaceId === undefined && all.length > 1) {
      throw new ControlError(`${sku} is listed separately in ${all.map((l) => l.marketplaceIds.join("+")).join(", ")}: give marketplaceId`)
    }
    const listing = this.ctx.state.listing(seller.sellerId, sku, marketplaceId)
    if (!listing) throw new ControlError(`seller ${seller.sellerId} has no listing ${sku}${marketplaceId ? ` in ${marketplaceId}` : ""}`, 404)
    const entries = listing.attributes[FULFILLMENT_AVAILABILITY] ?? []
    const entry = entries.find((e) => e.fulfillment_channel_code === MFN_CHANNEL)
    if (!entry && fbaChannel(listing)) {
      throw new ControlError(`${sku} is fulfilled by Amazon (${fbaChannel(listing)}): it has no merchant quantity; set FBA stock with setFbaStock`, 409)
    }
    const before = mfnQuantity(listing)
    if (entry) entry.quantity = value
    else listing.attributes[FULFILLMENT_AVAILABILITY] = [...entries, { fulfillment_channel_code: MFN_CHANNEL, quantity: value }]
    listing.updatedAt = this.ctx.clock.now()
    this.ctx.notifications.mfnQuantityChanged(listing, before)
    return this.listingState(listing)
  }

  private listingState(l: SimListing): ListingState {
    return {
      sellerId: l.sellerId,
      sku: l.sku,
      ...(l.asin ? { asin: l.asin } : {}),
      productType: l.productType,
      marketplaceIds: [...l.marketplaceIds],
      ...(fbaChannel(l) ? { fbaChannel: fbaChannel(l) } : {}),
      quantity: mfnQuantity(l) ?? null,
      attributes: structuredClone(l.attributes),
      createdTime: toAmazonIso(l.createdAt),
      lastUpdatedTime: toAmazonIso(l.updatedAt),
    }
  }

  // ------------------------------------------------------------ FBA inventory

  /** Create or update FBA stock; given fields replace the old ones and lastUpdatedTime becomes now. */
  setFbaInventory(seeds: FbaStockSeed[]): FbaStock[] {
    return seeds.map((seed) => this.setFbaStock(seed))
  }

  setFbaStock(seed: FbaStockSeed): FbaStock {
    if (typeof seed?.sku !== "string" || seed.sku === "") throw new ControlError("fbaInventory.sku is required")
    const seller = this.seller(seed.sellerId)
    const marketplaceId = seed.marketplaceId ?? seller.marketplaceIds[0]
    if (!seller.marketplaceIds.includes(marketplaceId)) throw new ControlError(`seller ${seller.sellerId} does not sell in ${marketplaceId}`)
    const key = stockKey(seller.sellerId, marketplaceId, seed.sku)
    const old = this.ctx.state.fbaStock.get(key)
    const n = (value: number | undefined, previous: number | undefined, field: string) => nonNegativeInt(value ?? previous ?? 0, field)
    const stock: FbaStock = {
      sellerId: seller.sellerId,
      marketplaceId,
      sku: seed.sku,
      ...((seed.asin ?? old?.asin) ? { asin: seed.asin ?? old?.asin } : {}),
      ...((seed.fnSku ?? old?.fnSku) ? { fnSku: seed.fnSku ?? old?.fnSku } : {}),
      ...((seed.productName ?? old?.productName) ? { productName: seed.productName ?? old?.productName } : {}),
      condition: seed.condition ?? old?.condition ?? "NewItem",
      fulfillable: n(seed.fulfillable, old?.fulfillable, "fulfillable"),
      inboundWorking: n(seed.inboundWorking, old?.inboundWorking, "inboundWorking"),
      inboundShipped: n(seed.inboundShipped, old?.inboundShipped, "inboundShipped"),
      inboundReceiving: n(seed.inboundReceiving, old?.inboundReceiving, "inboundReceiving"),
      reserved: {
        pendingCustomerOrder: n(seed.reserved?.pendingCustomerOrder, old?.reserved.pendingCustomerOrder, "reserved.pendingCustomerOrder"),
        pendingTransshipment: n(seed.reserved?.pendingTransshipment, old?.reserved.pendingTransshipment, "reserved.pendingTransshipment"),
        fcProcessing: n(seed.reserved?.fcProcessing, old?.reserved.fcProcessing, "reserved.fcProcessing"),
      },
      researching: n(seed.researching, old?.researching, "researching"),
      unfulfillable: {
        customerDamaged: n(seed.unfulfillable?.customerDamaged, old?.unfulfillable.customerDamaged, "unfulfillable.customerDamaged"),
        warehouseDamaged: n(seed.unfulfillable?.warehouseDamaged, old?.unfulfillable.warehouseDamaged, "unfulfillable.warehouseDamaged"),
        distributorDamaged: n(seed.unfulfillable?.distributorDamaged, old?.unfulfillable.distributorDamaged, "unfulfillable.distributorDamaged"),
        carrierDamaged: n(seed.unfulfillable?.carrierDamaged, old?.unfulfillable.carrierDamaged, "unfulfillable.carrierDamaged"),
        defective: n(seed.unfulfillable?.defective, old?.unfulfillable.defective, "unfulfillable.defective"),
        expired: n(seed.unfulfillable?.expired, old?.unfulfillable.expired, "unfulfillable.expired"),
      },
      lastUpdatedAt: this.ctx.clock.now(),
    }
    this.ctx.state.fbaStock.set(key, stock)
    this.ctx.notifications.fbaStockChanged(old, stock, this.ctx.state.listing(seller.sellerId, seed.sku, marketplaceId)?.itemName)
    return structuredClone(stock)
  }

  listFbaInventory(sellerId?: string): FbaStock[] {
    return [...this.ctx.state.fbaStock.values()]
      .filter((s) => sellerId === undefined || s.sellerId === sellerId)
      .sort((a, b) => a.sellerId.localeCompare(b.sellerId) || a.marketplaceId.localeCompare(b.marketplaceId) || a.sku.localeCompare(b.sku))
      .map((s) => structuredClone(s))
  }

  // ------------------------------------------------------------ orders

  seedOrders(seeds: OrderSeed[]): Order[] {
    return seeds.map((seed) => this.seedOrder(seed))
  }

  seedOrder(seed: OrderSeed): Order {
    const seller = this.seller(seed?.sellerId)
    try {
      const sim = buildOrder(seed, { state: this.ctx.state, seller, now: this.ctx.clock.now() })
      this.ctx.state.orders.set(sim.order.orderId, sim)
      this.ctx.notifications.orderChanged(sim, "OrderStatusChange", "New Order")
      return structuredClone(sim.order)
    } catch (error) {
      throw this.asControlError(error)
    }
  }

  /** The stored order with every data set (what Amazon holds, not what a given includedData shows). */
  getOrder(orderId: string): Order | undefined {
    const sim = this.ctx.state.orders.get(orderId)
    return sim ? structuredClone(sim.order) : undefined
  }

  listOrders(sellerId?: string): Order[] {
    return [...this.ctx.state.orders.values()]
      .filter((o) => sellerId === undefined || o.sellerId === sellerId)
      .map((o) => structuredClone(o.order))
      .sort((a, b) => Date.parse(a.lastUpdatedTime) - Date.parse(b.lastUpdatedTime) || a.orderId.localeCompare(b.orderId))
  }

  /** PENDING → UNSHIPPED → PARTIALLY_SHIPPED → SHIPPED, or → CANCELLED; lastUpdatedTime becomes now. */
  transitionOrder(orderId: string, transition: OrderTransition): Order {
    const sim = this.ctx.state.orders.get(orderId)
    if (!sim) throw new ControlError(`unknown order ${orderId}`, 404)
    try {
      this.ctx.notifications.trackOrderStatus([sim], () => transitionOrder(sim, transition, this.ctx.clock.now()))
    } catch (error) {
      throw this.asControlError(error)
    }
    return structuredClone(sim.order)
  }

  /** The buyer asks to cancel; with `cancelNow` the order is cancelled by the buyer right away. */
  requestBuyerCancellation(orderId: string, options: { reason?: string; cancelNow?: boolean } = {}): Order {
    const sim = this.ctx.state.orders.get(orderId)
    if (!sim) throw new ControlError(`unknown order ${orderId}`, 404)
    try {
      requestBuyerCancellation(sim, options.reason, this.ctx.clock.now())
      this.ctx.notifications.orderChanged(sim, "BuyerRequestedChange", "Buyer Requested Cancel")
      if (options.cancelNow) {
        this.ctx.notifications.trackOrderStatus([sim], () =>
          transitionOrder(sim, { to: "CANCELLED", cancelledBy: "BUYER", cancelReason: options.reason }, this.ctx.clock.now()),
        )
      }
    } catch (error) {
      throw this.asControlError(error)
    }
    return structuredClone(sim.order)
  }

  listShipments(sellerId?: string): ShipmentRecord[] {
    return this.ctx.state.shipments.filter((s) => sellerId === undefined || s.sellerId === sellerId).map((s) => structuredClone(s))
  }

  private asControlError(error: unknown): Error {
    return error instanceof OrderRuleError ? new ControlError(error.message) : (error as Error)
  }

  // ------------------------------------------------------------ feeds

  listFeeds(sellerId?: string): FeedState[] {
    return [...this.ctx.state.feeds.values()]
      .filter((f) => sellerId === undefined || f.sellerId === sellerId)
      .sort((a, b) => a.createdAt - b.createdAt || Number(a.feedId) - Number(b.feedId))
      .map((f) => this.feedState(f))
  }

  getFeed(feedId: string): FeedState | undefined {
    const feed = this.ctx.state.feeds.get(feedId)
    return feed ? this.feedState(feed) : undefined
  }

  /** Let feeds held IN_PROGRESS by the "feed-stuck" fault finish. */
  releaseStuckFeeds(): number {
    return this.ctx.feeds.releaseStuck()
  }

  setFeedTiming(timing: Partial<FeedTiming>): FeedTiming {
    const next = { ...this.ctx.feeds.options.timing, ...timing }
    if (!(next.queueMs >= 0) || !(next.processingMs >= 0)) throw new ControlError("feed timings must be >= 0 ms")
    this.ctx.feeds.options.timing = next
    return { ...next }
  }

  setReportCompression(mode: ReportCompression, thresholdBytes?: number): void {
    if (!["always", "never", "auto"].includes(mode)) throw new ControlError("compression must be always, never or auto")
    this.ctx.feeds.options.compressReports = mode
    if (thresholdBytes !== undefined) this.ctx.feeds.options.compressThresholdBytes = nonNegativeInt(thresholdBytes, "thresholdBytes")
  }

  private feedState(f: FeedRecord): FeedState {
    const input = this.ctx.state.documents.get(f.inputFeedDocumentId)
    return {
      feedId: f.feedId,
      sellerId: f.sellerId,
      feedType: f.feedType,
      marketplaceIds: [...f.marketplaceIds],
      processingStatus: f.status,
      createdTime: toAmazonIso(f.createdAt),
      ...(f.startedAt !== undefined ? { processingStartTime: toAmazonIso(f.startedAt) } : {}),
      ...(f.endedAt !== undefined ? { processingEndTime: toAmazonIso(f.endedAt) } : {}),
      ...(f.resultFeedDocumentId ? { resultFeedDocumentId: f.resultFeedDocumentId } : {}),
      stuck: f.stuck === true,
      ...(input?.content ? { inputDocument: input.content.toString("utf8") } : {}),
      ...(f.report ? { report: structuredClone(f.report) } : {}),
    }
  }

  // ------------------------------------------------------------ reports

  listReports(sellerId?: string): ReportState[] {
    return [...this.ctx.state.reports.values()]
      .filter((r) => sellerId === undefined || r.sellerId === sellerId)
      .sort((a, b) => a.createdAt - b.createdAt || Number(a.reportId) - Number(b.reportId))
      .map((r) => this.reportState(r))
  }

  getReport(reportId: string): ReportState | undefined {
    const report = this.ctx.state.reports.get(reportId)
    return report ? this.reportState(report) : undefined
  }

  /** A finished report's document as text (gunzipped, decoded from Cp1252); undefined while there is none. */
  getReportDocumentText(reportId: string): string | undefined {
    const documentId = this.ctx.state.reports.get(reportId)?.reportDocumentId
    const doc = documentId ? this.ctx.state.reportDocuments.get(documentId) : undefined
    if (!doc) return undefined
    const joined = Buffer.concat(doc.chunks)
    const bytes = doc.compressionAlgorithm === "GZIP" ? gunzipSync(joined) : joined
    return /charset=cp1252/i.test(doc.contentType) ? decodeCp1252(bytes) : bytes.toString("utf8")
  }

  setReportTiming(timing: Partial<ReportTiming>): ReportTiming {
    const next = { ...this.ctx.reports.options.timing, ...timing }
    if (!(next.queueMs >= 0) || !(next.processingMs >= 0)) throw new ControlError("report timings must be >= 0 ms")
    this.ctx.reports.options.timing = next
    return { ...next }
  }

  /** Amazon's cached reports: serve an earlier snapshot when one was taken less than `windowMs` before the request; 0 = off. */
  setReportCacheWindow(windowMs: number): number {
    if (typeof windowMs !== "number" || !Number.isFinite(windowMs) || windowMs < 0) throw new ControlError("windowMs must be a number >= 0")
    this.ctx.reports.options.cacheWindowMs = windowMs
    return windowMs
  }

  private reportState(r: ReportRecord): ReportState {
    const doc = r.reportDocumentId ? this.ctx.state.reportDocuments.get(r.reportDocumentId) : undefined
    return {
      reportId: r.reportId,
      sellerId: r.sellerId,
      reportType: r.reportType,
      marketplaceIds: [...r.marketplaceIds],
      processingStatus: r.status,
      createdTime: toAmazonIso(r.createdAt),
      ...(r.startedAt !== undefined ? { processingStartTime: toAmazonIso(r.startedAt) } : {}),
      ...(r.endedAt !== undefined ? { processingEndTime: toAmazonIso(r.endedAt) } : {}),
      ...(r.dataEndAt !== undefined ? { dataEndTime: toAmazonIso(r.dataEndAt) } : {}),
      ...(r.reportDocumentId ? { reportDocumentId: r.reportDocumentId } : {}),
      ...(doc?.compressionAlgorithm ? { compressionAlgorithm: doc.compressionAlgorithm } : {}),
      ...(doc ? { documentBytes: doc.byteLength, uncompressedBytes: doc.uncompressedBytes } : {}),
      ...(r.rowCount !== undefined ? { rowCount: r.rowCount } : {}),
      ...(r.cachedFromReportId ? { cachedFromReportId: r.cachedFromReportId } : {}),
    }
  }

  // ------------------------------------------------------------ faults, quotas, counters, clock

  injectFault(spec: FaultSpec): ActiveFault {
    try {
      return this.ctx.faults.add(spec)
    } catch (error) {
      throw new ControlError((error as Error).message)
    }
  }

  listFaults(): ActiveFault[] {
    return this.ctx.faults.list()
  }

  clearFaults(): void {
    this.ctx.faults.clear()
  }

  /** Give an operation another rate/burst (Amazon raises limits for some sellers). */
  setUsagePlan(operation: OperationKey, plan: UsagePlan): void {
    if (!SIMULATED_OPERATIONS.includes(operation)) throw new ControlError(`unknown operation ${operation}`)
    try {
      this.ctx.quotas.setPlan(operation, plan)
    } catch (error) {
      throw new ControlError((error as Error).message)
    }
  }

  usagePlans(): Record<string, UsagePlan> {
    return Object.fromEntries(SIMULATED_OPERATIONS.map((op) => [op, this.ctx.quotas.plan(op)]))
  }

  /** Tokens left in a seller's bucket for an operation (fractional while refilling). */
  quotaTokens(operation: OperationKey, sellerId?: string): number {
    if (!SIMULATED_OPERATIONS.includes(operation)) throw new ControlError(`unknown operation ${operation}`)
    return this.ctx.quotas.available(this.seller(sellerId).sellerId, operation)
  }

  /** Fill every bucket again (and forget the JSON_LISTINGS_FEED windows). */
  refillQuotas(): void {
    this.ctx.quotas.refillAll()
  }

  counters(): Record<string, OperationCounters> {
    return this.ctx.counters.snapshot()
  }

  resetCounters(): void {
    this.ctx.counters.reset()
  }

  now(): number {
    return this.ctx.clock.now()
  }

  /** Move simulated time forward (timers due by then fire, buckets refill, tokens and URLs age). */
  advanceClock(ms: number): number {
    try {
      this.ctx.clock.advance(ms)
    } catch (error) {
      throw new ControlError((error as Error).message)
    }
    return this.ctx.clock.now()
  }

  setTimeScale(timeScale: number): void {
    try {
      this.ctx.clock.setTimeScale(timeScale)
    } catch (error) {
      throw new ControlError((error as Error).message)
    }
  }

  // ------------------------------------------------------------ SQS and notifications

  /** An SQS standard queue (a `.fifo` name makes a FIFO queue, which createDestination refuses). Defaults generate a key pair. */
  createSqsQueue(input: CreateQueueInput): SqsQueueCredentials {
    if (typeof input?.name !== "string" || input.name === "") throw new ControlError("name is required")
    let queue: SqsQueue
    try {
      queue = this.ctx.sqs.createQueue(input)
    } catch (error) {
      throw new ControlError((error as Error).message, error instanceof QueueExistsError ? 409 : 400)
    }
    return { queueUrl: queueUrlOf(this.ctx.origin(), queue), queueArn: queue.arn, accessKeyId: queue.accessKeyId, secretAccessKey: queue.secretAccessKey }
  }

  /** Message counts of a queue (by name, URL or ARN). */
  sqsQueueState(nameOrUrl: string): SqsQueueState {
    return this.ctx.sqs.state(this.queue(nameOrUrl))
  }

  /** Every message still on a queue (not deleted), oldest first, with its state. */
  listSqsMessages(nameOrUrl: string): SqsMessageView[] {
    return this.ctx.sqs.messages(this.queue(nameOrUrl))
  }

  /** Play the EventBridge rule that forwards an account's SP-API partner events (in `region`) to an SQS queue. */
  routeEventBridgeToQueue(source: { awsAccountId: string; region: string }, queueArn: string): void {
    if (!/^\d{12}$/.test(source?.awsAccountId ?? "")) throw new ControlError("awsAccountId must be 12 digits")
    if (typeof source.region !== "string" || source.region === "") throw new ControlError("region is required")
    const queue = this.ctx.sqs.byArn(queueArn)
    if (!queue) throw new ControlError(`no SQS queue ${queueArn}`, 404)
    this.ctx.notifications.routeEventBridge(source.awsAccountId, source.region, queue.arn)
  }

  listDestinations(): DestinationState[] {
    return [...this.ctx.notifications.destinations.values()]
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((d) => ({
        destinationId: d.destinationId,
        name: d.name,
        clientId: d.clientId,
        applicationId: d.applicationId,
        resource: d.sqsArn ? { sqs: { arn: d.sqsArn } } : { eventBridge: { ...(d.eventBridge as NonNullable<typeof d.eventBridge>) } },
      }))
  }

  listSubscriptions(sellerId?: string): SubscriptionState[] {
    return [...this.ctx.notifications.subscriptions.values()]
      .filter((s) => sellerId === undefined || s.sellerId === sellerId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((s) => ({
        subscriptionId: s.subscriptionId,
        sellerId: s.sellerId,
        clientId: s.clientId,
        applicationId: applicationIdOf(s.clientId),
        notificationType: s.notificationType,
        payloadVersion: s.payloadVersion,
        destinationId: s.destinationId,
        ...(s.processingDirective ? { processingDirective: structuredClone(s.processingDirective) } : {}),
      }))
  }

  /** Per notification type: published, delivered (SQS messages), duplicated, dropped, unrouted. */
  notificationsSent(): Record<string, NotificationCounts> {
    return this.ctx.notifications.sentCounts()
  }

  private queue(nameOrUrl: string): SqsQueue {
    const queue = this.ctx.sqs.byArn(nameOrUrl) ?? this.ctx.sqs.find(nameOrUrl)
    if (!queue) throw new ControlError(`no SQS queue ${nameOrUrl}`, 404)
    return queue
  }

  // ------------------------------------------------------------ Multi-Channel Fulfillment (Fulfillment Outbound 2026-07-04)

  /** Every MCF order (of one seller), oldest first, as getOrder shows it (with shipments) plus seller, marketplace and phase. */
  listMcfOrders(sellerId?: string): McfOrderState[] {
    return this.ctx.mcf.ordersOf(sellerId).map((o) => ({ sellerId: o.sellerId, marketplaceId: o.marketplaceId, phase: o.phase, order: this.ctx.mcf.render(o) }))
  }

  /** One MCF order by the seller's orderId; `sellerId` may be omitted while only one seller has an order with that id. */
  getMcfOrder(orderId: string, sellerId?: string): McfOrderState | undefined {
    const matches = this.ctx.mcf.ordersOf(sellerId).filter((o) => o.orderId === orderId)
    if (matches.length > 1) throw new ControlError(`orderId ${orderId} exists for several sellers: give sellerId`)
    const o = matches[0]
    return o ? { sellerId: o.sellerId, marketplaceId: o.marketplaceId, phase: o.phase, order: this.ctx.mcf.render(o) } : undefined
  }

  /**
   * Change the MCF life cycle timings (simulated ms) for steps scheduled from now on; `deliveryMs` merges per tier.
   * Returns the timings in force.
   */
  setMcfTiming(timing: Partial<Omit<McfTiming, "deliveryMs">> & { deliveryMs?: Partial<Record<McfServiceTier, number>> }): McfTiming {
    if (timing === null || typeof timing !== "object") throw new ControlError("expected an object of timings")
    const current = this.ctx.mcf.timing
    const next: McfTiming = { ...current, ...timing, deliveryMs: { ...current.deliveryMs, ...(timing.deliveryMs ?? {}) } } as McfTiming
    const values: [string, unknown][] = [
      ...Object.entries(next).filter(([key]) => key !== "deliveryMs"),
      ...Object.entries(next.deliveryMs).map(([tier, ms]): [string, unknown] => [`deliveryMs.${tier}`, ms]),
    ]
    for (const [key, ms] of values) {
      if (!(key in DEFAULT_MCF_TIMING) && !key.startsWith("deliveryMs.")) throw new ControlError(`unknown MCF timing ${key}`)
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw new ControlError(`${key} must be a number of ms >= 0`)
    }
    this.ctx.mcf.timing = next
    return structuredClone(next)
  }

  /**
   * Jump an MCF order's life cycle now, without moving the clock: to "shipped" (planned, picked and shipped; delivery is
   * scheduled deliveryMs from now) or "delivered" (and COMPLETE). An order whose mcf-unfulfillable fault fires while it
   * is moved on ends UNFULFILLABLE. Orders on hold (409: release them with updateOrder) and finished orders (409) refuse.
   */
  advanceMcfOrder(orderId: string, to: "shipped" | "delivered", sellerId?: string): McfOrderState {
    if (to !== "shipped" && to !== "delivered") throw new ControlError(`to must be "shipped" or "delivered"`)
    const state = this.getMcfOrder(orderId, sellerId)
    if (!state) throw new ControlError(`unknown MCF order ${orderId}`, 404)
    const order = this.ctx.mcf.get(state.sellerId, orderId) as NonNullable<ReturnType<typeof this.ctx.mcf.get>>
    if (order.phase === "hold") throw new ControlError(`MCF order ${orderId} is on hold: release it with updateOrder (action SHIP) first`, 409)
    if (order.phase === "done" || order.phase === "waiting") throw new ControlError(`MCF order ${orderId} is ${order.status} (${order.phase}): nothing to advance`, 409)
    if (to === "shipped" && order.phase === "shipped") throw new ControlError(`MCF order ${orderId} has already shipped`, 409)
    this.ctx.mcf.advance(order, to)
    return this.getMcfOrder(orderId, state.sellerId) as McfOrderState
  }

  // ------------------------------------------------------------ order feeds (POST_ORDER_*_DATA)

  /** The packages Amazon holds for an order (as `includedData=PACKAGES` shows them); undefined for unknown orders. */
  getOrderPackages(orderId: string): OrderPackage[] | undefined {
    const sim = this.ctx.state.orders.get(orderId)
    return sim ? structuredClone(sim.order.packages ?? []) : undefined
  }

  /**
   * A finished feed's processing report as text (gunzipped when stored compressed): the XML report of an
   * order feed, the flat-file report of one uploaded with a non-XML content type, or a listings feed's JSON.
   */
  getFeedReportText(feedId: string): string | undefined {
    const documentId = this.ctx.state.feeds.get(feedId)?.resultFeedDocumentId
    const doc = documentId ? this.ctx.state.documents.get(documentId) : undefined
    if (!doc?.content) return undefined
    return (doc.compressionAlgorithm === "GZIP" ? gunzipSync(doc.content) : doc.content).toString("utf8")
  }
}
