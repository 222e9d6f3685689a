/**
 * The notification documents Amazon puts on a destination, built from simulator state in the shapes of Amazon's
 * payload schemas (vendor/amazon/schemas/notifications). Two envelope styles exist: the upper-camel one
 * (`NotificationVersion`, `Payload`, `NotificationMetadata`) and the lower-camel one of the feed and report
 * notifications (`notificationVersion`, `payload`, `notificationMetadata`).
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import type { FbaStock, FeedRecord, Order, ReportRecord } from "../types"
import { VENDOR_DIR } from "../validation"

export interface NotificationMetadata {
  applicationId: string
  subscriptionId: string
  publishTime: number
  notificationId: string
}

export type OrderChangeType = "OrderStatusChange" | "BuyerRequestedChange"

/** A built notification, still without metadata (added per subscription). */
export type NotificationDraft = (metadata: NotificationMetadata) => Record<string, unknown>

const iso = (ms: number) => new Date(ms).toISOString()

function upperEnvelope(type: string, eventTime: number, payload: unknown): NotificationDraft {
  return (m) => ({
    NotificationVersion: "1.0",
    NotificationType: type,
    PayloadVersion: "1.0",
    EventTime: iso(eventTime),
    Payload: payload,
    NotificationMetadata: { ApplicationId: m.applicationId, SubscriptionId: m.subscriptionId, PublishTime: iso(m.publishTime), NotificationId: m.notificationId },
  })
}

function lowerEnvelope(type: string, eventTime: number, payload: unknown): NotificationDraft {
  return (m) => ({
    notificationVersion: "2020-09-04",
    notificationType: type,
    payloadVersion: "2020-09-04",
    eventTime: iso(eventTime),
    payload,
    notificationMetadata: { applicationId: m.applicationId, subscriptionId: m.subscriptionId, publishTime: iso(m.publishTime), notificationId: m.notificationId },
  })
}

/** Orders v2026 statuses in the v0 spelling ORDER_CHANGE uses ("Canceled" with one l). */
const V0_STATUS: Record<string, string> = {
  PENDING_AVAILABILITY: "PendingAvailability",
  PENDING: "Pending",
  UNSHIPPED: "Unshipped",
  PARTIALLY_SHIPPED: "PartiallyShipped",
  SHIPPED: "Shipped",
  CANCELLED: "Canceled",
  UNFULFILLABLE: "Unfulfillable",
}

export function orderChange(sellerId: string, order: Order, changeType: OrderChangeType, changeReason: string, now: number): NotificationDraft {
  const items = order.orderItems.map((item) => {
    const shipped = item.fulfillment?.quantityFulfilled ?? 0
    return {
      OrderItemId: item.orderItemId,
      SellerSKU: item.product.sellerSku ?? "",
      SupplySourceId: null,
      OrderItemStatus: shipped >= item.quantityOrdered ? "Shipped" : "Unshipped",
      Quantity: item.quantityOrdered,
      QuantityShipped: shipped,
      IsBuyerRequestedCancel: item.cancellation?.cancellationRequest !== undefined,
    }
  })
  const shipBy = order.fulfillment?.shipByWindow
  const deliverBy = order.fulfillment?.deliverByWindow
  return upperEnvelope("ORDER_CHANGE", now, {
    OrderChangeNotification: {
      NotificationLevel: "OrderLevel",
      SellerId: sellerId,
      AmazonOrderId: order.orderId,
      OrderChangeType: changeType,
      OrderChangeTrigger: { TimeOfOrderChange: iso(now), ChangeReason: changeReason },
      Summary: {
        MarketplaceId: order.salesChannel.marketplaceId,
        OrderStatus: V0_STATUS[order.fulfillment?.fulfillmentStatus ?? "UNSHIPPED"],
        PurchaseDate: order.createdTime,
        DestinationPostalCode: order.recipient?.deliveryAddress?.postalCode ?? null,
        FulfillmentType: order.fulfillment?.fulfilledBy === "AMAZON" ? "AFN" : "MFN",
        OrderType: "StandardOrder",
        NumberOfItemsShipped: items.reduce((sum, i) => sum + i.QuantityShipped, 0),
        NumberOfItemsUnshipped: order.orderItems.reduce((sum, i) => sum + (i.fulfillment?.quantityUnfulfilled ?? 0), 0),
        ...(shipBy?.earliestDateTime ? { EarliestShipDate: shipBy.earliestDateTime } : {}),
        ...(shipBy?.latestDateTime ? { LatestShipDate: shipBy.latestDateTime } : {}),
        ...(deliverBy?.earliestDateTime ? { EarliestDeliveryDate: deliverBy.earliestDateTime } : {}),
        ...(deliverBy?.latestDateTime ? { LatestDeliveryDate: deliverBy.latestDateTime } : {}),
        OrderItems: items,
      },
    },
  })
}

export function fbaInventoryChange(stock: FbaStock, itemName: string | undefined, now: number): NotificationDraft {
  const u = stock.unfulfillable
  return upperEnvelope("FBA_INVENTORY_AVAILABILITY_CHANGES", now, {
    SellerId: stock.sellerId,
    FNSKU: stock.fnSku ?? "",
    ASIN: stock.asin ?? "",
    SKU: stock.sku,
    FulfillmentInventoryByMarketplace: [
      {
        MarketplaceId: stock.marketplaceId,
        ItemName: stock.productName ?? itemName ?? "",
        FulfillmentInventory: {
          InboundQuantityBreakdown: { Working: stock.inboundWorking, Shipped: stock.inboundShipped, Receiving: stock.inboundReceiving },
          Fulfillable: stock.fulfillable,
          Unfulfillable: u.customerDamaged + u.warehouseDamaged + u.distributorDamaged + u.carrierDamaged + u.defective + u.expired,
          Researching: stock.researching,
          ReservedQuantityBreakdown: {
            WarehouseProcessing: stock.reserved.fcProcessing,
            WarehouseTransfer: stock.reserved.pendingTransshipment,
            PendingCustomerOrder: stock.reserved.pendingCustomerOrder,
          },
          FutureSupplyBuyable: 0,
          PendingCustomerOrderInTransit: 0,
        },
      },
    ],
  })
}

export function mfnQuantityChange(sellerId: string, sku: string, quantity: number, now: number): NotificationDraft {
  return upperEnvelope("LISTINGS_ITEM_MFN_QUANTITY_CHANGE", now, { SellerId: sellerId, FulfillmentChannelCode: "DEFAULT", Sku: sku, Quantity: quantity })
}

/** Amazon's accountId for a seller (`amzn1.merchant.o.<sellerId>`, as in the schema examples). */
const merchantAccount = (sellerId: string) => `amzn1.merchant.o.${sellerId}`

export function feedProcessingFinished(feed: FeedRecord, now: number): NotificationDraft {
  return lowerEnvelope("FEED_PROCESSING_FINISHED", now, {
    feedProcessingFinishedNotification: {
      sellerId: feed.sellerId,
      accountId: merchantAccount(feed.sellerId),
      feedId: feed.feedId,
      feedType: feed.feedType,
      processingStatus: feed.status,
      ...(feed.resultFeedDocumentId ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
    },
  })
}

export function reportProcessingFinished(report: ReportRecord, now: number): NotificationDraft {
  return lowerEnvelope("REPORT_PROCESSING_FINISHED", now, {
    reportProcessingFinishedNotification: {
      sellerId: report.sellerId,
      accountId: merchantAccount(report.sellerId),
      reportId: report.reportId,
      reportType: report.reportType,
      processingStatus: report.status,
      ...(report.reportDocumentId ? { reportDocumentId: report.reportDocumentId } : {}),
    },
  })
}

/** One FULFILLMENT_ORDER_STATUS event of an MCF order (values in the notification's own spelling). */
export interface McfNotificationEvent {
  sellerId: string
  orderId: string
  eventType: "Order" | "Shipment"
  /** Received | Planning | Processing | Cancelled | Complete | CompletePartialled | Unfulfillable | Invalid */
  fulfillmentOrderStatus: string
  statusUpdatedAt: number
  shipment?: {
    /** Pending | Shipped | CancelledByFulfiller | CancelledBySeller */
    status: string
    amazonShipmentId: string
    /** Absent for a cancelled shipment. */
    estimatedArrival?: number
    packages: { number: number; carrierCode: string; trackingNumber: string }[]
  }
}

/**
 * FULFILLMENT_ORDER_STATUS (PascalCase envelope). As Amazon's use case guide describes it, FulfillmentShipment comes
 * only with EventType Shipment and FulfillmentReturnItem only with EventType Return (the simulator sends none): the
 * schema file lists both (and an `info` object) as required only because it was generated from its example.
 */
export function fulfillmentOrderStatus(event: McfNotificationEvent, now: number): NotificationDraft {
  const shipment = event.shipment
  return upperEnvelope("FULFILLMENT_ORDER_STATUS", now, {
    FulfillmentOrderStatusNotification: {
      SellerId: event.sellerId,
      EventType: event.eventType,
      StatusUpdatedDateTime: iso(event.statusUpdatedAt),
      SellerFulfillmentOrderId: event.orderId,
      FulfillmentOrderStatus: event.fulfillmentOrderStatus,
      ...(shipment
        ? {
            FulfillmentShipment: {
              FulfillmentShipmentStatus: shipment.status,
              AmazonShipmentId: shipment.amazonShipmentId,
              ...(shipment.estimatedArrival !== undefined ? { EstimatedArrivalDateTime: iso(shipment.estimatedArrival) } : {}),
              ...(shipment.packages.length > 0
                ? { FulfillmentShipmentPackages: shipment.packages.map((p) => ({ PackageNumber: p.number, CarrierCode: p.carrierCode, TrackingNumber: p.trackingNumber })) }
                : {}),
            },
          }
        : {}),
    },
  })
}

/** Schema file of each notification type the simulator knows (for sendTestNotification and tests). */
export const NOTIFICATION_SCHEMA_FILES: Record<string, string> = {
  ORDER_CHANGE: "OrderChangeNotification.json",
  FBA_INVENTORY_AVAILABILITY_CHANGES: "FBAInventoryAvailabilityChangeNotification.json",
  FEED_PROCESSING_FINISHED: "FeedProcessingFinishedNotification.json",
  REPORT_PROCESSING_FINISHED: "ReportProcessingFinishedNotification.json",
  FULFILLMENT_ORDER_STATUS: "FulfillmentOrderStatusNotification.json",
  ANY_OFFER_CHANGED: "AnyOfferChangedNotification.json",
  LISTINGS_ITEM_MFN_QUANTITY_CHANGE: "ListingsItemMfnQuantityChange.json",
  LISTINGS_ITEM_STATUS_CHANGE: "ListingsItemStatusChangeNotification.json",
  LISTINGS_ITEM_ISSUES_CHANGE: "ListingsItemIssuesChangeNotification_2023-12-13.json",
}

export function notificationSchema(type: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(VENDOR_DIR, "schemas/notifications", NOTIFICATION_SCHEMA_FILES[type]), "utf8")) as Record<string, unknown>
}

/**
 * sendTestNotification's mock: the example of the type's schema file with fresh event time and metadata (the FBA
 * schema has no whole-document example, only one of its Payload).
 */
export function testNotification(type: string, now: number): NotificationDraft {
  const schema = notificationSchema(type)
  const example = (schema.examples as Record<string, unknown>[] | undefined)?.[0]
  if (!example) return upperEnvelope(type, now, (schema.properties as Record<string, { examples?: unknown[] }>).Payload.examples?.[0])
  if ("payload" in example) {
    return (m) => ({ ...structuredClone(example), ...lowerEnvelope(type, now, undefined)(m), payload: structuredClone(example.payload) })
  }
  return (m) => ({ ...structuredClone(example), EventTime: iso(now), NotificationMetadata: upperEnvelope(type, now, undefined)(m).NotificationMetadata })
}
