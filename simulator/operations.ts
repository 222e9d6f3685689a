/**
 * The SP-API operations the simulator serves, with Amazon's default usage plans (rate = tokens per second,
 * burst = bucket size) taken from the generated table of the official models.
 */
import { GENERATED_OPERATIONS } from "../src/lib/amazon/generated/rate-limits"

export const SIMULATED_OPERATIONS = [
  "feeds-2021-06-30.createFeedDocument",
  "feeds-2021-06-30.getFeedDocument",
  "feeds-2021-06-30.createFeed",
  "feeds-2021-06-30.getFeed",
  "feeds-2021-06-30.getFeeds",
  "feeds-2021-06-30.cancelFeed",
  "listings-items-2021-08-01.patchListingsItem",
  "listings-items-2021-08-01.getListingsItem",
  "listings-items-2021-08-01.searchListingsItems",
  "orders-2026-01-01.searchOrders",
  "orders-2026-01-01.getOrder",
  "orders-v0.confirmShipment",
  "fba-inventory-v1.getInventorySummaries",
  "sellers-v1.getMarketplaceParticipations",
  "reports-2021-06-30.createReport",
  "reports-2021-06-30.getReport",
  "reports-2021-06-30.getReports",
  "reports-2021-06-30.cancelReport",
  "reports-2021-06-30.getReportDocument",
  "notifications-v1.getSubscription",
  "notifications-v1.createSubscription",
  "notifications-v1.getSubscriptionById",
  "notifications-v1.deleteSubscriptionById",
  "notifications-v1.getSubscriptions",
  "notifications-v1.sendTestNotification",
  "notifications-v1.getDestinations",
  "notifications-v1.createDestination",
  "notifications-v1.getDestination",
  "notifications-v1.deleteDestination",
  "fulfillment-outbound-2026-07-04.getOrderPreview",
  "fulfillment-outbound-2026-07-04.getOffers",
  "fulfillment-outbound-2026-07-04.createOrder",
  "fulfillment-outbound-2026-07-04.getOrder",
  "fulfillment-outbound-2026-07-04.listOrders",
  "fulfillment-outbound-2026-07-04.updateOrder",
  "fulfillment-outbound-2026-07-04.cancelOrder",
] as const

export type OperationKey = (typeof SIMULATED_OPERATIONS)[number]

/** The LWA token endpoint is not an SP-API operation (no quota) but faults and counters can target it. */
export const LWA_OPERATION = "lwa.token"

export type CountedOperation = OperationKey | typeof LWA_OPERATION

export interface UsagePlan {
  rate: number
  burst: number
}

export function defaultUsagePlan(operation: OperationKey): UsagePlan {
  const { rate, burst } = GENERATED_OPERATIONS[operation]
  return { rate, burst }
}

/** The Swagger model file (vendor/amazon/models) that defines each API of an operation key. */
export const MODEL_FILES: Record<string, string> = {
  "feeds-2021-06-30": "feeds_2021-06-30.json",
  "listings-items-2021-08-01": "listingsItems_2021-08-01.json",
  "orders-2026-01-01": "orders_2026-01-01.json",
  "orders-v0": "ordersV0.json",
  "fba-inventory-v1": "fbaInventory.json",
  "sellers-v1": "sellers.json",
  "reports-2021-06-30": "reports_2021-06-30.json",
  "notifications-v1": "notifications.json",
  "fulfillment-outbound-2026-07-04": "fulfillmentOutbound_2026-07-04.json",
}

/**
 * Resolve an operation reference from the control API: the full key (`orders-2026-01-01.getOrder`) or the bare
 * operationId (`getOrder`, which then matches every API that has it). `"*"` or undefined means every operation.
 */
export function matchesOperation(selector: string | undefined, operation: string): boolean {
  if (selector === undefined || selector === "*" || selector === "all") return true
  if (selector === operation) return true
  return operation.endsWith(`.${selector}`)
}

export function isKnownOperationSelector(selector: string): boolean {
  if (selector === "*" || selector === "all" || selector === LWA_OPERATION) return true
  return SIMULATED_OPERATIONS.some((op) => matchesOperation(selector, op))
}
