/**
 * Everything the simulated Amazon knows: sellers, tokens, listings, FBA stock, feeds and their documents,
 * orders and confirmed shipments. Plain maps; the rules live in domain/ and routes/.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto"
import type { Region } from "./marketplaces"
import type {
  AccessTokenRecord,
  FbaStock,
  FeedDocumentRecord,
  FeedRecord,
  ReportDocumentRecord,
  ReportRecord,
  SellerAccount,
  ShipmentRecord,
  SimListing,
  SimOrder,
} from "./types"

const ORDER_PREFIX: Record<Region, string> = { NA: "112", EU: "302", FE: "250" }

export class SimState {
  readonly sellers = new Map<string, SellerAccount>()
  readonly accessTokens = new Map<string, AccessTokenRecord>()
  /**
   * key: `${sellerId}|${sku}` ({@link listingKey}) for a SKU's first listing. A SKU a non-unified seller lists
   * separately in further marketplaces (its own quantity, price, … per marketplace) keeps each further listing
   * under `${sellerId}|${sku}|${firstMarketplaceId}` ({@link offerKey}). The listings of one SKU never share a
   * marketplace. Use {@link SimState.listingsOfSku}, {@link SimState.putListing} and {@link SimState.removeListing}.
   */
  readonly listings = new Map<string, SimListing>()
  /** key: `${sellerId}|${marketplaceId}|${sku}` */
  readonly fbaStock = new Map<string, FbaStock>()
  readonly documents = new Map<string, FeedDocumentRecord>()
  readonly feeds = new Map<string, FeedRecord>()
  readonly orders = new Map<string, SimOrder>()
  readonly shipments: ShipmentRecord[] = []
  readonly reports = new Map<string, ReportRecord>()
  /** Report documents (Reports API), apart from the feed documents: getFeedDocument does not serve them. */
  readonly reportDocuments = new Map<string, ReportDocumentRecord>()

  private sequence = { feed: 0, document: 0, order: 0, orderItem: 0, report: 0, reportDocument: 0 }
  /**
   * Where this instance's order ids start. Amazon's order ids are unique across all sellers, and a store
   * may hold orders from several simulators (the benchmark runs a second simulator beside the stack's; a
   * test may reset one between cases): a fixed start made the second one's ids repeat the first's, which
   * Amazon never does. Random per instance and per reset, ids stay in creation order within one.
   */
  private orderIdBase = randomOrderIdBase()

  clear(): void {
    this.sellers.clear()
    this.accessTokens.clear()
    this.listings.clear()
    this.fbaStock.clear()
    this.documents.clear()
    this.feeds.clear()
    this.orders.clear()
    this.shipments.length = 0
    this.reports.clear()
    this.reportDocuments.clear()
    this.sequence = { feed: 0, document: 0, order: 0, orderItem: 0, report: 0, reportDocument: 0 }
    this.orderIdBase = randomOrderIdBase()
  }

  // ------------------------------------------------------------ lookups

  seller(sellerId: string): SellerAccount | undefined {
    return this.sellers.get(sellerId)
  }

  sellerByRefreshToken(refreshToken: string): SellerAccount | undefined {
    for (const seller of this.sellers.values()) {
      if (seller.refreshToken === refreshToken) return seller
    }
    return undefined
  }

  /** The seller to use when a seed leaves sellerId out: only allowed while exactly one seller exists. */
  defaultSellerId(): string {
    if (this.sellers.size !== 1) {
      throw new Error(`sellerId is required when ${this.sellers.size} sellers are seeded`)
    }
    return [...this.sellers.keys()][0]
  }

  /**
   * The seller's listing of `sku`: the one offered in `marketplaceId` when given, otherwise the SKU's first
   * listing (the only one unless the SKU is listed separately in several marketplaces).
   */
  listing(sellerId: string, sku: string, marketplaceId?: string): SimListing | undefined {
    if (marketplaceId === undefined) return this.listings.get(listingKey(sellerId, sku)) ?? this.listingsOfSku(sellerId, sku)[0]
    return this.listingsOfSku(sellerId, sku).find((l) => l.marketplaceIds.includes(marketplaceId))
  }

  /** Every listing of a seller's SKU (one per separately listed marketplace group), the first one first. */
  listingsOfSku(sellerId: string, sku: string): SimListing[] {
    const out: SimListing[] = []
    const first = this.listings.get(listingKey(sellerId, sku))
    if (first) out.push(first)
    for (const marketplaceId of this.sellers.get(sellerId)?.marketplaceIds ?? []) {
      const other = this.listings.get(offerKey(sellerId, sku, marketplaceId))
      if (other) out.push(other)
    }
    return out
  }

  /**
   * Store a listing. Listings of the same SKU that share a marketplace with it are replaced (a listing's
   * marketplaces belong to one listing only); listings of the SKU in other marketplaces stay.
   */
  putListing(listing: SimListing): void {
    for (const other of this.listingsOfSku(listing.sellerId, listing.sku)) {
      if (other !== listing && other.marketplaceIds.some((m) => listing.marketplaceIds.includes(m))) this.removeListing(other)
    }
    const first = listingKey(listing.sellerId, listing.sku)
    const current = this.listings.get(first)
    if (current === undefined || current === listing) this.listings.set(first, listing)
    else this.listings.set(offerKey(listing.sellerId, listing.sku, listing.marketplaceIds[0]), listing)
  }

  removeListing(listing: SimListing): boolean {
    for (const [key, stored] of this.listingCandidates(listing.sellerId, listing.sku)) {
      if (stored === listing) return this.listings.delete(key)
    }
    return false
  }

  private *listingCandidates(sellerId: string, sku: string): Generator<[string, SimListing | undefined]> {
    const first = listingKey(sellerId, sku)
    yield [first, this.listings.get(first)]
    for (const marketplaceId of this.sellers.get(sellerId)?.marketplaceIds ?? []) {
      const key = offerKey(sellerId, sku, marketplaceId)
      yield [key, this.listings.get(key)]
    }
  }

  listingsOf(sellerId: string): SimListing[] {
    return [...this.listings.values()].filter((l) => l.sellerId === sellerId)
  }

  stock(sellerId: string, marketplaceId: string, sku: string): FbaStock | undefined {
    return this.fbaStock.get(stockKey(sellerId, marketplaceId, sku))
  }

  stockOf(sellerId: string, marketplaceId?: string): FbaStock[] {
    return [...this.fbaStock.values()].filter(
      (s) => s.sellerId === sellerId && (marketplaceId === undefined || s.marketplaceId === marketplaceId),
    )
  }

  feedsOf(sellerId: string): FeedRecord[] {
    return [...this.feeds.values()].filter((f) => f.sellerId === sellerId)
  }

  reportsOf(sellerId: string): ReportRecord[] {
    return [...this.reports.values()].filter((r) => r.sellerId === sellerId)
  }

  ordersOf(sellerId: string): SimOrder[] {
    return [...this.orders.values()].filter((o) => o.sellerId === sellerId)
  }

  // ------------------------------------------------------------ ids (Amazon-like formats)

  nextFeedId(): string {
    this.sequence.feed += 1
    return String(50_000_000_000 + this.sequence.feed)
  }

  nextDocumentId(region: Region): string {
    this.sequence.document += 1
    return `amzn1.tortuga.4.${region.toLowerCase()}.${randomUUID()}.T${this.sequence.document.toString(36).toUpperCase()}`
  }

  nextReportId(): string {
    this.sequence.report += 1
    return String(60_000_000_000 + this.sequence.report)
  }

  /** Shaped like Amazon's report document ids (`amzn1.spdoc.1.4.eu.<uuid>.T<…>.<n>`). */
  nextReportDocumentId(region: Region): string {
    this.sequence.reportDocument += 1
    const n = this.sequence.reportDocument
    return `amzn1.spdoc.1.4.${region.toLowerCase()}.${randomUUID()}.T${(n * 7_919).toString(36).toUpperCase()}.${1000 + (n % 9000)}`
  }

  nextOrderId(region: Region): string {
    this.sequence.order += 1
    const n = this.orderIdBase + this.sequence.order
    const middle = String(1_000_000 + (n % 9_000_000))
    const last = String((n * 7_919_113) % 10_000_000).padStart(7, "0")
    return `${ORDER_PREFIX[region]}-${middle}-${last}`
  }

  nextOrderItemId(): string {
    this.sequence.orderItem += 1
    return String(40_000_000_000_000 + (this.orderIdBase * 1_000 + this.sequence.orderItem) * 7)
  }
}

/** 0 … 7,999,999: room for a million orders per instance before the 7-digit middle block wraps. */
function randomOrderIdBase(): number {
  return randomInt(0, 8_000_000)
}

export function listingKey(sellerId: string, sku: string): string {
  return `${sellerId}|${sku}`
}

/** Key of a further, separately listed marketplace group of a SKU (see {@link SimState.listings}). */
export function offerKey(sellerId: string, sku: string, marketplaceId: string): string {
  return `${sellerId}|${sku}|${marketplaceId}`
}

export function stockKey(sellerId: string, marketplaceId: string, sku: string): string {
  return `${sellerId}|${marketplaceId}|${sku}`
}

/** A 32-hex-digit submission id like the ones patchListingsItem returns. */
export function newSubmissionId(): string {
  return randomBytes(16).toString("hex")
}

export function newRequestId(): string {
  return randomUUID()
}
