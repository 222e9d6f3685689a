import type { operations as FbaOps } from "./generated/fba-inventory-v1"
import type { operations as FeedsOps } from "./generated/feeds-2021-06-30"
import type { operations as McfOps } from "./generated/fulfillment-outbound-2026-07-04"
import type { operations as ListingsOps } from "./generated/listings-items-2021-08-01"
import type { operations as NotificationsOps } from "./generated/notifications-v1"
import type { operations as OrdersV0Ops } from "./generated/orders-v0"
import type { operations as OrdersOps } from "./generated/orders-v2026-01-01"
import type { operations as ReportsOps } from "./generated/reports-2021-06-30"
import type { operations as SellersOps } from "./generated/sellers-v1"
import { SpApiClient, SpApiRequest, SpApiResponse } from "./http"

/**
 * Typed operations over the SP-API client (http.ts). Every parameter and response type is derived from the generated
 * models (openapi-typescript), so a shape Amazon changes shows up as a type error after
 * `npm run generate:types`, never as a silent `any`.
 */

type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
type PathOf<O> = O extends { parameters: { path?: infer P } } ? NonNullable<P> : never
type BodyOf<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : never
type OkStatus = 200 | 201 | 202
type ResponseOf<O> = O extends { responses: infer R }
  ? {
      [S in keyof R]: S extends OkStatus
        ? R[S] extends { content: { "application/json": infer J } }
          ? J
          : void
        : never
    }[keyof R]
  : never

type Query = SpApiRequest["query"]

/** Per-call SP-API client options a caller may set. */
export interface CallOptions {
  /** The longest this call may wait for its quota before failing with RateLimitWaitExceeded (default: the client's). */
  maxQueueWaitMs?: number
}

export interface CreateFeedCallOptions extends CallOptions {
  /** Called right before each attempt is sent (see SpApiRequest.onSend): the time the feed may have been created from. */
  onSend?: (attempt: number) => void
}

export class SpApi {
  constructor(readonly client: SpApiClient) {}

  get sellerId() {
    return this.client.sellerId
  }

  // --- Sellers v1 -------------------------------------------------------------------------------
  getMarketplaceParticipations(): Promise<SpApiResponse<ResponseOf<SellersOps["getMarketplaceParticipations"]>>> {
    return this.client.request("sellers-v1.getMarketplaceParticipations")
  }

  // --- Feeds 2021-06-30 -------------------------------------------------------------------------
  createFeedDocument(
    body: BodyOf<FeedsOps["createFeedDocument"]>
  ): Promise<SpApiResponse<ResponseOf<FeedsOps["createFeedDocument"]>>> {
    // Creating a document twice only leaves an unused upload slot at Amazon: safe to resend.
    return this.client.request("feeds-2021-06-30.createFeedDocument", { body, idempotent: true })
  }

  /** Spends a token of the feed type's own quota too, when it has one (JSON_LISTINGS_FEED). */
  createFeed(
    body: BodyOf<FeedsOps["createFeed"]>,
    options: CreateFeedCallOptions = {}
  ): Promise<SpApiResponse<ResponseOf<FeedsOps["createFeed"]>>> {
    const extra = this.client.feedTypeBucket(body.feedType)
    // Not idempotent: a resent createFeed after a timeout may submit the feed twice (harmless for
    // absolute quantities, but it burns the 5-per-5-minutes quota), so the caller decides
    // (submitFeed looks the feed up with getFeeds before anyone resends).
    return this.client.request("feeds-2021-06-30.createFeed", {
      body,
      extraBuckets: extra ? [extra] : [],
      maxQueueWaitMs: options.maxQueueWaitMs,
      onSend: options.onSend,
    })
  }

  getFeed(feedId: string): Promise<SpApiResponse<ResponseOf<FeedsOps["getFeed"]>>> {
    return this.client.request("feeds-2021-06-30.getFeed", { pathParams: { feedId } })
  }

  cancelFeed(feedId: string): Promise<SpApiResponse<ResponseOf<FeedsOps["cancelFeed"]>>> {
    return this.client.request("feeds-2021-06-30.cancelFeed", { pathParams: { feedId } })
  }

  getFeeds(
    query: QueryOf<FeedsOps["getFeeds"]>,
    options: CallOptions = {}
  ): Promise<SpApiResponse<ResponseOf<FeedsOps["getFeeds"]>>> {
    return this.client.request("feeds-2021-06-30.getFeeds", { query: query as Query, maxQueueWaitMs: options.maxQueueWaitMs })
  }

  getFeedDocument(
    feedDocumentId: string,
    options: CallOptions = {}
  ): Promise<SpApiResponse<ResponseOf<FeedsOps["getFeedDocument"]>>> {
    return this.client.request("feeds-2021-06-30.getFeedDocument", {
      pathParams: { feedDocumentId },
      maxQueueWaitMs: options.maxQueueWaitMs,
    })
  }

  // --- Listings Items 2021-08-01 ----------------------------------------------------------------
  patchListingsItem(
    sku: string,
    query: QueryOf<ListingsOps["patchListingsItem"]>,
    body: BodyOf<ListingsOps["patchListingsItem"]>
  ): Promise<SpApiResponse<ResponseOf<ListingsOps["patchListingsItem"]>>> {
    // An absolute quantity is idempotent: resending the same patch sets the same value.
    return this.client.request("listings-items-2021-08-01.patchListingsItem", {
      pathParams: { sellerId: this.sellerId, sku },
      query: query as Query,
      body,
      idempotent: true,
    })
  }

  getListingsItem(
    sku: string,
    query: QueryOf<ListingsOps["getListingsItem"]>
  ): Promise<SpApiResponse<ResponseOf<ListingsOps["getListingsItem"]>>> {
    return this.client.request("listings-items-2021-08-01.getListingsItem", {
      pathParams: { sellerId: this.sellerId, sku },
      query: query as Query,
    })
  }

  searchListingsItems(
    query: QueryOf<ListingsOps["searchListingsItems"]>
  ): Promise<SpApiResponse<ResponseOf<ListingsOps["searchListingsItems"]>>> {
    return this.client.request("listings-items-2021-08-01.searchListingsItems", {
      pathParams: { sellerId: this.sellerId },
      query: query as Query,
    })
  }

  // --- Orders v2026-01-01 -----------------------------------------------------------------------
  searchOrders(query: QueryOf<OrdersOps["searchOrders"]>): Promise<SpApiResponse<ResponseOf<OrdersOps["searchOrders"]>>> {
    return this.client.request("orders-2026-01-01.searchOrders", { query: query as Query })
  }

  getOrder(
    orderId: string,
    query: QueryOf<OrdersOps["getOrder"]> = {} as QueryOf<OrdersOps["getOrder"]>
  ): Promise<SpApiResponse<ResponseOf<OrdersOps["getOrder"]>>> {
    return this.client.request("orders-2026-01-01.getOrder", { pathParams: { orderId }, query: query as Query })
  }

  // --- Orders v0 (only confirmShipment: the v0 list/get calls are deprecated) -------------------
  confirmShipment(
    orderId: string,
    body: BodyOf<OrdersV0Ops["confirmShipment"]>
  ): Promise<SpApiResponse<ResponseOf<OrdersV0Ops["confirmShipment"]>>> {
    return this.client.request("orders-v0.confirmShipment", { pathParams: { orderId }, body })
  }

  // --- FBA Inventory v1 -------------------------------------------------------------------------
  getInventorySummaries(
    query: QueryOf<FbaOps["getInventorySummaries"]>
  ): Promise<SpApiResponse<ResponseOf<FbaOps["getInventorySummaries"]>>> {
    return this.client.request("fba-inventory-v1.getInventorySummaries", { query: query as Query })
  }

  // --- Reports 2021-06-30 -----------------------------------------------------------------------
  createReport(body: BodyOf<ReportsOps["createReport"]>): Promise<SpApiResponse<ResponseOf<ReportsOps["createReport"]>>> {
    return this.client.request("reports-2021-06-30.createReport", { body })
  }

  getReport(reportId: string): Promise<SpApiResponse<ResponseOf<ReportsOps["getReport"]>>> {
    return this.client.request("reports-2021-06-30.getReport", { pathParams: { reportId } })
  }

  getReportDocument(reportDocumentId: string): Promise<SpApiResponse<ResponseOf<ReportsOps["getReportDocument"]>>> {
    return this.client.request("reports-2021-06-30.getReportDocument", { pathParams: { reportDocumentId } })
  }

  // --- Notifications v1 -------------------------------------------------------------------------
  // Destination calls are grantless: call them on the SpApi of a grantless client (see LwaCredentials.scope).
  getDestinations(): Promise<SpApiResponse<ResponseOf<NotificationsOps["getDestinations"]>>> {
    return this.client.request("notifications-v1.getDestinations")
  }

  /** Not idempotent (a second one for the same queue answers 409): look up with getDestinations first. */
  createDestination(
    body: BodyOf<NotificationsOps["createDestination"]>
  ): Promise<SpApiResponse<ResponseOf<NotificationsOps["createDestination"]>>> {
    return this.client.request("notifications-v1.createDestination", { body })
  }

  deleteDestination(destinationId: string): Promise<SpApiResponse<ResponseOf<NotificationsOps["deleteDestination"]>>> {
    return this.client.request("notifications-v1.deleteDestination", { pathParams: { destinationId }, idempotent: true })
  }

  getSubscription(
    notificationType: string,
    query: QueryOf<NotificationsOps["getSubscription"]> = {}
  ): Promise<SpApiResponse<ResponseOf<NotificationsOps["getSubscription"]>>> {
    return this.client.request("notifications-v1.getSubscription", { pathParams: { notificationType }, query: query as Query })
  }

  /** Not idempotent (one subscription per type and seller: a second answers 409): look up with getSubscription first. */
  createSubscription(
    notificationType: string,
    body: BodyOf<NotificationsOps["createSubscription"]>
  ): Promise<SpApiResponse<ResponseOf<NotificationsOps["createSubscription"]>>> {
    return this.client.request("notifications-v1.createSubscription", { pathParams: { notificationType }, body })
  }

  deleteSubscriptionById(
    notificationType: string,
    subscriptionId: string
  ): Promise<SpApiResponse<ResponseOf<NotificationsOps["deleteSubscriptionById"]>>> {
    return this.client.request("notifications-v1.deleteSubscriptionById", {
      pathParams: { notificationType, subscriptionId },
      idempotent: true,
    })
  }

  // --- Fulfillment Outbound 2026-07-04 (Multi-Channel Fulfillment) ---------------------------
  getMcfOrderPreview(body: BodyOf<McfOps["getOrderPreview"]>): Promise<SpApiResponse<ResponseOf<McfOps["getOrderPreview"]>>> {
    return this.client.request("fulfillment-outbound-2026-07-04.getOrderPreview", { body, idempotent: true })
  }

  /**
   * Not idempotent at the HTTP level: a lost answer is looked up with getMcfOrder by the seller's own orderId
   * (which Amazon keeps unique), never resent blind.
   */
  createMcfOrder(body: BodyOf<McfOps["createOrder"]>): Promise<SpApiResponse<ResponseOf<McfOps["createOrder"]>>> {
    return this.client.request("fulfillment-outbound-2026-07-04.createOrder", { body })
  }

  getMcfOrder(orderId: string): Promise<SpApiResponse<ResponseOf<McfOps["getOrder"]>>> {
    return this.client.request("fulfillment-outbound-2026-07-04.getOrder", { pathParams: { orderId } })
  }

  /** Releases a HOLD (action SHIP); the same update twice has the same effect. */
  updateMcfOrder(orderId: string, body: BodyOf<McfOps["updateOrder"]>): Promise<SpApiResponse<ResponseOf<McfOps["updateOrder"]>>> {
    return this.client.request("fulfillment-outbound-2026-07-04.updateOrder", { pathParams: { orderId }, body, idempotent: true })
  }

  /** Cancelling a cancelled order changes nothing: safe to resend. */
  cancelMcfOrder(orderId: string): Promise<SpApiResponse<ResponseOf<McfOps["cancelOrder"]>>> {
    return this.client.request("fulfillment-outbound-2026-07-04.cancelOrder", { pathParams: { orderId }, idempotent: true })
  }
}

export type { QueryOf, PathOf, BodyOf, ResponseOf }
