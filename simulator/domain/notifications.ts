/**
 * Notifications v1: destinations (per application), subscriptions (per seller, application and notification
 * type) and the delivery of notifications when the simulated state changes.
 *
 * Delivery follows Amazon's two workflows. An SQS destination gets the notification JSON as the message body.
 * An EventBridge destination stands for a partner event source in an AWS account; Amazon publishes there and
 * only an EventBridge rule would carry the event on. The control API's `routeEventBridgeToQueue` plays that rule
 * (the body is then the EventBridge event with the notification as `detail`); without one the event is dropped,
 * as on a bus without rules. Delivery is at-least-once and unordered on Amazon, which the notification-* faults
 * reproduce (duplicate, reorder, delay, drop).
 */
import { createHash, randomUUID } from "node:crypto"
import { type SimClock, toAmazonIso } from "../clock"
import type { FaultManager, FaultSpec } from "../faults"
import type { FbaStock, FeedRecord, ReportRecord, SimListing, SimOrder } from "../types"
import { mfnQuantity } from "./listing-patches"
import {
  fbaInventoryChange,
  feedProcessingFinished,
  fulfillmentOrderStatus,
  type McfNotificationEvent,
  mfnQuantityChange,
  type NotificationDraft,
  orderChange,
  type OrderChangeType,
  reportProcessingFinished,
} from "./notification-payloads"
import { statusOf } from "./orders"
import type { SqsBroker } from "./sqs"

/**
 * The notification types a subscription can name, with the destination kind Amazon delivers them to and the
 * payload versions createSubscription accepts. The simulator emits ORDER_CHANGE, FBA_INVENTORY_AVAILABILITY_CHANGES,
 * LISTINGS_ITEM_MFN_QUANTITY_CHANGE, FEED_PROCESSING_FINISHED, REPORT_PROCESSING_FINISHED and FULFILLMENT_ORDER_STATUS
 * (Multi-Channel Fulfillment orders); the others can be
 * subscribed to and tested (sendTestNotification) but never fire.
 */
export const NOTIFICATION_TYPES: Record<string, { eventBridgeOnly: boolean; payloadVersions: string[] }> = {
  ORDER_CHANGE: { eventBridgeOnly: false, payloadVersions: ["1.0"] },
  FBA_INVENTORY_AVAILABILITY_CHANGES: { eventBridgeOnly: false, payloadVersions: ["1.0"] },
  FEED_PROCESSING_FINISHED: { eventBridgeOnly: false, payloadVersions: ["1.0", "2020-09-04"] },
  REPORT_PROCESSING_FINISHED: { eventBridgeOnly: false, payloadVersions: ["1.0", "2020-09-04"] },
  FULFILLMENT_ORDER_STATUS: { eventBridgeOnly: false, payloadVersions: ["1.0"] },
  ANY_OFFER_CHANGED: { eventBridgeOnly: false, payloadVersions: ["1.0"] },
  LISTINGS_ITEM_MFN_QUANTITY_CHANGE: { eventBridgeOnly: true, payloadVersions: ["1.0"] },
  LISTINGS_ITEM_STATUS_CHANGE: { eventBridgeOnly: true, payloadVersions: ["1.0"] },
  LISTINGS_ITEM_ISSUES_CHANGE: { eventBridgeOnly: true, payloadVersions: ["1.0", "2023-12-13"] },
}

/** A held-back (reordered) notification is delivered after the next one, or after this long if none follows. */
export const REORDER_MAX_HOLD_MS = 60_000

export interface DestinationRecord {
  destinationId: string
  name: string
  /** The LWA client id of the application that owns it. */
  clientId: string
  applicationId: string
  sqsArn?: string
  eventBridge?: { accountId: string; region: string; name: string }
  createdAt: number
}

export interface ProcessingDirective {
  eventFilter?: { eventFilterType: string; marketplaceIds?: string[]; orderChangeTypes?: string[]; [key: string]: unknown }
  filterExpression?: string
}

export interface SubscriptionRecord {
  subscriptionId: string
  sellerId: string
  clientId: string
  notificationType: string
  payloadVersion: string
  destinationId: string
  processingDirective?: ProcessingDirective
  createdAt: number
}

export interface NotificationCounts {
  /** Notifications created for a subscription (one per subscription per event). */
  published: number
  /** SQS messages put on a queue (a duplicated notification counts twice). */
  delivered: number
  /** Extra copies put by the notification-duplicate fault. */
  duplicated: number
  /** Lost to the notification-drop fault. */
  dropped: number
  /** EventBridge events with no route to a queue (dropped, as on a bus without rules). */
  unrouted: number
}

/** Amazon's application id (`amzn1.sellerapps.app.<uuid>`), derived stably from the LWA client id. */
export function applicationIdOf(clientId: string): string {
  const h = createHash("sha256").update(clientId).digest("hex")
  return `amzn1.sellerapps.app.${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

const eventBridgeKey = (accountId: string, region: string) => `${accountId}|${region}`

type NotificationFault = Extract<FaultSpec, { type: "notification-duplicate" | "notification-reorder" | "notification-delay" | "notification-drop" }>

export class NotificationService {
  readonly destinations = new Map<string, DestinationRecord>()
  readonly subscriptions = new Map<string, SubscriptionRecord>()
  /** EventBridge `${accountId}|${region}` → ARN of the queue its (simulated) rule forwards to. */
  readonly eventBridgeRoutes = new Map<string, string>()
  private readonly counts = new Map<string, NotificationCounts>()
  /** Deliveries held back by the notification-reorder fault, each with its fallback timer. */
  private held: { deliver: () => void; timer: number }[] = []

  constructor(
    private readonly clock: SimClock,
    private readonly faults: FaultManager,
    private readonly sqs: SqsBroker,
  ) {}

  routeEventBridge(accountId: string, region: string, queueArn: string): void {
    this.eventBridgeRoutes.set(eventBridgeKey(accountId, region), queueArn)
  }

  sentCounts(): Record<string, NotificationCounts> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, c]) => [type, { ...c }]))
  }

  reset(): void {
    this.destinations.clear()
    this.subscriptions.clear()
    this.eventBridgeRoutes.clear()
    this.counts.clear()
    this.held = []
  }

  // ------------------------------------------------------------ state changes

  orderChanged(sim: SimOrder, changeType: OrderChangeType, reason: string): void {
    const now = this.clock.now()
    this.emit("ORDER_CHANGE", sim.sellerId, orderChange(sim.sellerId, sim.order, changeType, reason, now), {
      marketplaceId: sim.order.salesChannel.marketplaceId,
      orderChangeType: changeType,
    })
  }

  /** Run `change` and send ORDER_CHANGE (OrderStatusChange) for each of `orders` whose status it changed. */
  trackOrderStatus<T>(orders: Iterable<SimOrder>, change: () => T): T {
    const before = new Map([...orders].map((sim) => [sim, statusOf(sim.order)]))
    const result = change()
    for (const [sim, status] of before) {
      if (statusOf(sim.order) !== status) this.orderChanged(sim, "OrderStatusChange", "Order Status Changed")
    }
    return result
  }

  /** LISTINGS_ITEM_MFN_QUANTITY_CHANGE when the listing's merchant quantity is now set and differs from `before`. */
  mfnQuantityChanged(listing: SimListing, before: number | undefined): void {
    const quantity = mfnQuantity(listing)
    if (quantity === undefined || quantity === before) return
    this.emit("LISTINGS_ITEM_MFN_QUANTITY_CHANGE", listing.sellerId, mfnQuantityChange(listing.sellerId, listing.sku, quantity, this.clock.now()))
  }

  /** FBA_INVENTORY_AVAILABILITY_CHANGES when any quantity of the stock record changed (or it is new). */
  fbaStockChanged(before: FbaStock | undefined, after: FbaStock, itemName: string | undefined): void {
    const quantities = (s: FbaStock) => JSON.stringify([s.fulfillable, s.inboundWorking, s.inboundShipped, s.inboundReceiving, s.reserved, s.researching, s.unfulfillable])
    if (before && quantities(before) === quantities(after)) return
    this.emit("FBA_INVENTORY_AVAILABILITY_CHANGES", after.sellerId, fbaInventoryChange(after, itemName, this.clock.now()))
  }

  /** FULFILLMENT_ORDER_STATUS: an MCF order's status, shipment or package changed. */
  fulfillmentOrderChanged(event: McfNotificationEvent, now: number): void {
    this.emit("FULFILLMENT_ORDER_STATUS", event.sellerId, fulfillmentOrderStatus(event, now))
  }

  feedFinished(feed: FeedRecord): void {
    this.emit("FEED_PROCESSING_FINISHED", feed.sellerId, feedProcessingFinished(feed, this.clock.now()))
  }

  reportFinished(report: ReportRecord): void {
    this.emit("REPORT_PROCESSING_FINISHED", report.sellerId, reportProcessingFinished(report, this.clock.now()))
  }

  // ------------------------------------------------------------ delivery

  /** Deliver one notification to a destination outside any subscription (sendTestNotification). */
  sendTest(type: string, destination: DestinationRecord, draft: NotificationDraft): void {
    this.publish(type, destination, "test-subscription", draft)
  }

  private emit(type: string, sellerId: string, draft: NotificationDraft, event: { marketplaceId?: string; orderChangeType?: string } = {}): void {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.sellerId !== sellerId || subscription.notificationType !== type || !passesFilter(subscription, event)) continue
      const destination = this.destinations.get(subscription.destinationId)
      if (destination) this.publish(type, destination, subscription.subscriptionId, draft)
    }
  }

  private publish(type: string, destination: DestinationRecord, subscriptionId: string, draft: NotificationDraft): void {
    const now = this.clock.now()
    const counts = this.countsOf(type)
    counts.published += 1
    const notification = draft({ applicationId: destination.applicationId, subscriptionId, publishTime: now, notificationId: randomUUID() })
    const target = this.target(destination, type, notification, now)
    if (!target) {
      counts.unrouted += 1
      return
    }
    const matches = (spec: NotificationFault) => spec.notificationType === undefined || spec.notificationType === type
    if (this.faults.takeWhere("notification-drop", matches)) {
      counts.dropped += 1
      return
    }
    const copies = this.faults.takeWhere("notification-duplicate", matches) ? 2 : 1
    const delayMs = this.faults.takeWhere("notification-delay", matches)?.ms ?? 0
    const deliver = () => {
      const queue = this.sqs.byArn(target.queueArn)
      if (!queue) return
      for (let i = 0; i < copies; i++) this.sqs.send(queue, target.body, delayMs)
      counts.delivered += copies
      counts.duplicated += copies - 1
    }
    if (this.faults.takeWhere("notification-reorder", matches)) {
      const entry = { deliver, timer: 0 }
      entry.timer = this.clock.schedule(REORDER_MAX_HOLD_MS, () => this.release(entry))
      this.held.push(entry)
      return
    }
    deliver()
    for (const entry of [...this.held]) this.release(entry)
  }

  private release(entry: { deliver: () => void; timer: number }): void {
    if (!this.held.includes(entry)) return
    this.held = this.held.filter((e) => e !== entry)
    this.clock.cancel(entry.timer)
    entry.deliver()
  }

  /** The queue and message body for a destination, or undefined when nothing carries it to a queue. */
  private target(destination: DestinationRecord, type: string, notification: Record<string, unknown>, now: number): { queueArn: string; body: string } | undefined {
    if (destination.sqsArn) return { queueArn: destination.sqsArn, body: JSON.stringify(notification) }
    const bridge = destination.eventBridge
    const queueArn = bridge && this.eventBridgeRoutes.get(eventBridgeKey(bridge.accountId, bridge.region))
    if (!bridge || !queueArn) return undefined
    const event = {
      version: "0",
      id: randomUUID(),
      "detail-type": type,
      source: `aws.partner/sellingpartnerapi.amazon/${destination.applicationId}`,
      account: bridge.accountId,
      time: toAmazonIso(now),
      region: bridge.region,
      resources: [],
      detail: notification,
    }
    return { queueArn, body: JSON.stringify(event) }
  }

  private countsOf(type: string): NotificationCounts {
    let counts = this.counts.get(type)
    if (!counts) {
      counts = { published: 0, delivered: 0, duplicated: 0, dropped: 0, unrouted: 0 }
      this.counts.set(type, counts)
    }
    return counts
  }
}

/** ORDER_CHANGE event filters: `marketplaceIds` and `orderChangeTypes` (filterExpression is stored, not evaluated). */
function passesFilter(subscription: SubscriptionRecord, event: { marketplaceId?: string; orderChangeType?: string }): boolean {
  const filter = subscription.processingDirective?.eventFilter
  if (!filter) return true
  if (filter.marketplaceIds?.length && event.marketplaceId !== undefined && !filter.marketplaceIds.includes(event.marketplaceId)) return false
  if (filter.orderChangeTypes?.length && event.orderChangeType !== undefined && !filter.orderChangeTypes.includes(event.orderChangeType)) return false
  return true
}
