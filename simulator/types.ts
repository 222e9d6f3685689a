/**
 * Shapes of the simulator's own records and of the seed data accepted by the control API. Amazon's wire
 * shapes come from the generated model types.
 */
import type { components as OrdersComponents } from "../src/lib/amazon/generated/orders-v2026-01-01"
import type { components as ListingsComponents } from "../src/lib/amazon/generated/listings-items-2021-08-01"
import type { Region } from "./marketplaces"

export type Order = OrdersComponents["schemas"]["Order"]
export type OrderItem = OrdersComponents["schemas"]["OrderItem"]
export type OrderPackage = OrdersComponents["schemas"]["OrderPackage"]
export type FulfillmentStatus = OrdersComponents["schemas"]["FulfillmentStatus"]
export type Money = OrdersComponents["schemas"]["Money"]
export type Buyer = OrdersComponents["schemas"]["Buyer"]
export type Recipient = OrdersComponents["schemas"]["Recipient"]
export type ListingIssue = ListingsComponents["schemas"]["Issue"]
export type ListingStatus = "BUYABLE" | "DISCOVERABLE"

export const FULFILLMENT_STATUSES: readonly FulfillmentStatus[] = [
  "PENDING_AVAILABILITY",
  "PENDING",
  "UNSHIPPED",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
  "CANCELLED",
  "UNFULFILLABLE",
]

// ---------------------------------------------------------------- sellers and tokens

export interface SellerAccount {
  sellerId: string
  /** LWA application client id (`amzn1.application-oa2-client.…`). */
  clientId: string
  clientSecret: string
  /** The seller's refresh token (`Atzr|…`); it is what ties an access token to this seller. */
  refreshToken: string
  marketplaceIds: string[]
  region: Region
  storeName: string
}

export interface SellerSeed {
  sellerId: string
  clientId: string
  clientSecret: string
  refreshToken: string
  /** At least one marketplace id; the first decides the default region. */
  marketplaceIds: string[]
  region?: Region
  storeName?: string
}

export interface AccessTokenRecord {
  token: string
  /** Absent for a grantless (client_credentials) token, which belongs to the application (clientId) only. */
  sellerId?: string
  /** The grantless token's scope, e.g. `sellingpartnerapi::notifications`. */
  scope?: string
  clientId: string
  expiresAt: number
}

// ---------------------------------------------------------------- listings

/** One element of a listing attribute, e.g. `{ fulfillment_channel_code: "DEFAULT", quantity: 5 }`. */
export type AttributeEntry = Record<string, unknown>

export interface SimListing {
  sellerId: string
  sku: string
  asin?: string
  fnSku?: string
  productType: string
  /**
   * A unified (e.g. pan-EU) SKU shares one MFN quantity across these marketplaces. A SKU listed separately per
   * marketplace is several SimListings (one per marketplace group, never sharing a marketplace).
   */
  marketplaceIds: string[]
  itemName?: string
  conditionType: string
  /** When set, reported as is; otherwise derived (BUYABLE while stock > 0, DISCOVERABLE with an ASIN). */
  status?: ListingStatus[]
  /** Listing attributes in Amazon's snake_case form; `fulfillment_availability` holds the quantities. */
  attributes: Record<string, AttributeEntry[]>
  price?: Money
  issues: ListingIssue[]
  createdAt: number
  updatedAt: number
}

export interface ListingSeed {
  /** Default: the only seeded seller. */
  sellerId?: string
  sku: string
  asin?: string
  fnSku?: string
  /** Default "PRODUCT". */
  productType?: string
  /**
   * Default: the seller's first marketplace. Several ids = one unified listing (one quantity); seeding the SKU
   * again for another marketplace adds a separate listing there (its own quantity); a seed replaces the SKU's
   * listings that share a marketplace with it.
   */
  marketplaceId?: string
  marketplaceIds?: string[]
  /** "DEFAULT" (merchant fulfilled, the default) or an FBA channel such as "AMAZON_EU" / "AMAZON_NA". */
  fulfillmentChannel?: string
  /** MFN quantity (DEFAULT channel only). */
  quantity?: number
  leadTimeToShipMaxDays?: number
  itemName?: string
  conditionType?: string
  price?: { amount: string | number; currencyCode?: string }
  status?: ListingStatus[]
  issues?: ListingIssue[]
  /** Extra attributes, merged over the ones built from the fields above. */
  attributes?: Record<string, AttributeEntry[]>
}

// ---------------------------------------------------------------- FBA inventory

export interface FbaStock {
  sellerId: string
  marketplaceId: string
  sku: string
  asin?: string
  fnSku?: string
  productName?: string
  condition: string
  fulfillable: number
  inboundWorking: number
  inboundShipped: number
  inboundReceiving: number
  reserved: { pendingCustomerOrder: number; pendingTransshipment: number; fcProcessing: number }
  researching: number
  unfulfillable: {
    customerDamaged: number
    warehouseDamaged: number
    distributorDamaged: number
    carrierDamaged: number
    defective: number
    expired: number
  }
  lastUpdatedAt: number
}

export interface FbaStockSeed {
  sellerId?: string
  /** Default: the seller's first marketplace. */
  marketplaceId?: string
  sku: string
  asin?: string
  fnSku?: string
  productName?: string
  condition?: string
  fulfillable?: number
  inboundWorking?: number
  inboundShipped?: number
  inboundReceiving?: number
  reserved?: Partial<FbaStock["reserved"]>
  researching?: number
  unfulfillable?: Partial<FbaStock["unfulfillable"]>
}

// ---------------------------------------------------------------- feeds

export type FeedProcessingStatus = "IN_QUEUE" | "IN_PROGRESS" | "DONE" | "FATAL" | "CANCELLED"

export interface FeedDocumentRecord {
  feedDocumentId: string
  sellerId: string
  kind: "input" | "result"
  contentType: string
  createdAt: number
  content?: Buffer
  uploadedAt?: number
  compressionAlgorithm?: "GZIP"
}

export interface FeedRecord {
  feedId: string
  sellerId: string
  feedType: string
  marketplaceIds: string[]
  inputFeedDocumentId: string
  feedOptions?: Record<string, string>
  createdAt: number
  status: FeedProcessingStatus
  startedAt?: number
  endedAt?: number
  resultFeedDocumentId?: string
  /** Held IN_PROGRESS by the "feed-stuck" fault until released. */
  stuck?: boolean
  /** Forced to end FATAL by the "feed-fatal" fault. */
  forcedFatal?: boolean
  /** The processing report (uncompressed JSON), once DONE or FATAL. */
  report?: ProcessingReport
}

export interface ProcessingReportIssue {
  messageId?: number
  sku?: string
  code?: string
  severity: "ERROR" | "WARNING" | "INFO"
  message: string
  attributeName?: string
}

export interface ProcessingReport {
  header: {
    sellerId: string
    version: "2.0"
    feedId: string
    report?: { includedData: string[]; apiVersion: "2021-08-01" }
  }
  issues: ProcessingReportIssue[]
  summary: {
    errors: number
    warnings: number
    messagesProcessed: number
    messagesAccepted: number
    messagesInvalid: number
    itemSummary?: { items: number; errors: number; warnings: number }
  }
  items?: Record<string, unknown>[]
}

// ---------------------------------------------------------------- orders

export interface SimOrder {
  sellerId: string
  /** The whole order with every data set; responses show only what `includedData` asks for. */
  order: Order
}

export interface OrderItemSeed {
  orderItemId?: string
  sellerSku: string
  asin?: string
  title?: string
  quantityOrdered: number
  /** Unit price amount as a decimal string ("19.99") or number. */
  unitPrice?: string | number
  /** Shipping charged for this item. */
  shippingPrice?: string | number
  quantityFulfilled?: number
}

export interface OrderSeed {
  sellerId?: string
  orderId?: string
  /** ISO 8601; default: now. */
  createdTime?: string
  /** ISO 8601; default: createdTime. */
  lastUpdatedTime?: string
  /** Default: the seller's first marketplace. */
  marketplaceId?: string
  /** Default "UNSHIPPED". */
  fulfillmentStatus?: FulfillmentStatus
  /** Default "MERCHANT". */
  fulfilledBy?: "MERCHANT" | "AMAZON"
  fulfillmentServiceLevel?: string
  /**
   * fulfillment.shipByWindow. Default: from createdTime to createdTime + 2 days (Amazon's default handling
   * time), for merchant- and Amazon-fulfilled orders alike.
   */
  shipByWindow?: { earliestDateTime?: string; latestDateTime?: string }
  /** fulfillment.deliverByWindow; none by default. */
  deliverByWindow?: { earliestDateTime?: string; latestDateTime?: string }
  /** Default: the marketplace currency. */
  currencyCode?: string
  buyer?: Buyer
  recipient?: Recipient
  programs?: string[]
  orderAliases?: Order["orderAliases"]
  orderItems: OrderItemSeed[]
}

export interface ShipmentRecord {
  sellerId: string
  orderId: string
  marketplaceId: string
  packageReferenceId: string
  carrierCode: string
  carrierName?: string
  shippingMethod?: string
  trackingNumber: string
  shipDate: string
  items: { orderItemId: string; quantity: number }[]
  confirmedAt: number
}

// ---------------------------------------------------------------- reports

export type ReportProcessingStatus = "IN_QUEUE" | "IN_PROGRESS" | "DONE" | "FATAL" | "CANCELLED"

export interface ReportRecord {
  reportId: string
  sellerId: string
  reportType: string
  marketplaceIds: string[]
  reportOptions?: Record<string, string>
  /** As requested (epoch ms); undefined when not given. */
  requestedDataStartTime?: number
  requestedDataEndTime?: number
  createdAt: number
  status: ReportProcessingStatus
  startedAt?: number
  endedAt?: number
  /** The moment the reported data was taken (GET_MERCHANT_LISTINGS_ALL_DATA: end of processing, or the cached snapshot's). */
  dataEndAt?: number
  reportDocumentId?: string
  /** Forced to end FATAL by the "report-fatal" fault. */
  forcedFatal?: boolean
  /** Set when the document is a cached earlier snapshot: the report whose data it reuses. */
  cachedFromReportId?: string
  /** Rows in the document (GET_MERCHANT_LISTINGS_ALL_DATA). */
  rowCount?: number
}

export interface ReportDocumentRecord {
  reportDocumentId: string
  sellerId: string
  contentType: string
  createdAt: number
  /** The stored bytes (gzip when compressionAlgorithm is GZIP), kept in pieces: never one huge buffer. */
  chunks: Buffer[]
  byteLength: number
  /** Size of the text before compression. */
  uncompressedBytes: number
  compressionAlgorithm?: "GZIP"
}
