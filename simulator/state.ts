/**
 * Everything the simulated Amazon knows: sellers, tokens, listings, FBA stock, feeds and their documents,
 * orders and confirmed shipments. Plain maps; the rules live in domain/ and routes/.
 */
import { randomBytes, randomUUID } from "node:crypto"
import type { Region } from "./marketplaces"
import type {
  AccessTokenRecord,
  FbaStock,
  FeedDocumentRecord,
  FeedRecord,
  SellerAccount,
  ShipmentRecord,
  SimListing,
  SimOrder,
} from "./types"

const ORDER_PREFIX: Record<Region, string> = { NA: "112", EU: "302", FE: "250" }

export class SimState {
  readonly sellers = new Map<string, SellerAccount>()
  readonly accessTokens = new Map<string, AccessTokenRecord>()
  /** key: `${sellerId}|${sku}` */
  readonly listings = new Map<string, SimListing>()
  /** key: `${sellerId}|${marketplaceId}|${sku}` */
  readonly fbaStock = new Map<string, FbaStock>()
  readonly documents = new Map<string, FeedDocumentRecord>()
  readonly feeds = new Map<string, FeedRecord>()
  readonly orders = new Map<string, SimOrder>()
  readonly shipments: ShipmentRecord[] = []

  private sequence = { feed: 0, document: 0, order: 0, orderItem: 0 }

  clear(): void {
    this.sellers.clear()
    this.accessTokens.clear()
    this.listings.clear()
    this.fbaStock.clear()
    this.documents.clear()
    this.feeds.clear()
    this.orders.clear()
    this.shipments.length = 0
    this.sequence = { feed: 0, document: 0, order: 0, orderItem: 0 }
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

  listing(sellerId: string, sku: string): SimListing | undefined {
    return this.listings.get(listingKey(sellerId, sku))
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

  nextOrderId(region: Region): string {
    this.sequence.order += 1
    const n = this.sequence.order
    const middle = String(1_000_000 + n).slice(-7)
    const last = String((n * 7_919_113) % 10_000_000).padStart(7, "0")
    return `${ORDER_PREFIX[region]}-${middle}-${last}`
  }

  nextOrderItemId(): string {
    this.sequence.orderItem += 1
    return String(40_000_000_000_000 + this.sequence.orderItem * 7)
  }
}

export function listingKey(sellerId: string, sku: string): string {
  return `${sellerId}|${sku}`
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
