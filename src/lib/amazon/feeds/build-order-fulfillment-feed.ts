/**
 * POST_ORDER_FULFILLMENT_DATA builder: confirms the shipment of merchant-fulfilled packages in bulk, one
 * `OrderFulfillment` message per package (FACTS §10).
 *
 * Pure: seller id and packages come in as arguments; no clock, env or network. Amazon recommends the
 * synchronous confirmShipment for a few orders; this feed is for backlogs. The caller keeps the returned
 * `messages` (MessageID → order and package) with the feed row, because the processing report only names
 * MessageIDs (see parse-xml-processing-report.ts).
 *
 * Element order follows OrderFulfillment.xsd (a sequence): AmazonOrderID, MerchantFulfillmentID?,
 * FulfillmentDate, FulfillmentData{CarrierCode | CarrierName, ShippingMethod?, ShipperTrackingNumber},
 * Item*{AmazonOrderItemCode, Quantity}.
 */
import {
  type BuiltOrderFeed,
  endEnvelope,
  OrderFeedBuildError,
  optionalText,
  requireArray,
  requireText,
  startEnvelope,
} from "./order-feed-xml"

export interface OrderFulfillmentItemInput {
  /** The order item id (orderItemId in the Orders API). */
  amazonOrderItemCode: string
  /** Units of the item in this package: a positive integer. */
  quantity: number
}

export interface OrderFulfillmentPackageInput {
  amazonOrderId: string
  /**
   * Our stable reference of the package, sent as MerchantFulfillmentID. Amazon (and the simulator) treat a
   * reference already applied to the order as a repeat, so resending a feed is safe. The schema types it
   * IDNumber, an xsd:positiveInteger (Amazon's JAXB bindings map it to BigInteger), so it is a string of
   * digits, not a Medusa id such as `ful_01…`; we also cap it at 20 digits (IDNumber's totalDigits as
   * integrators quote amzn-base.xsd, UNVERIFIED).
   */
  packageReference?: string
  /** When the package left: a Date or an ISO 8601 date-time with a time zone; sent as UTC ISO 8601. */
  fulfillmentDate: Date | string
  /** One of Amazon's carrier codes (e.g. "DHL", "UPS"). Give either this or `carrierName`. */
  carrierCode?: string
  /** Free-text carrier, for carriers without a code. */
  carrierName?: string
  shippingMethod?: string
  trackingNumber: string
  /** The items in the package. Omit to ship every unshipped unit of the order; an empty array is refused. */
  items?: readonly OrderFulfillmentItemInput[]
}

export interface BuildOrderFulfillmentFeedInput {
  /** Sent as Header/MerchantIdentifier. */
  sellerId: string
  packages: readonly OrderFulfillmentPackageInput[]
}

export interface OrderFulfillmentMessageRef {
  messageId: number
  amazonOrderId: string
  packageReference?: string
}

export type BuiltOrderFulfillmentFeed = BuiltOrderFeed<OrderFulfillmentMessageRef>

const PACKAGE_REFERENCE = /^[1-9][0-9]{0,19}$/

// xsd:dateTime with a mandatory zone: without one, Amazon would read the time in a zone of its choosing.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

function fulfillmentDate(value: unknown, field: string): string {
  let ms = Number.NaN
  if (value instanceof Date) {
    ms = value.getTime()
  } else if (typeof value === "string" && ISO_DATE_TIME.test(value)) {
    ms = Date.parse(value)
  }
  if (Number.isNaN(ms)) {
    throw new OrderFeedBuildError(
      "INVALID_DATE",
      field,
      `must be a valid Date or an ISO 8601 date-time with a time zone, got ${String(value)}`
    )
  }
  return new Date(ms).toISOString()
}

function quantity(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new OrderFeedBuildError("INVALID_QUANTITY", field, `must be a positive integer, got ${String(value)}`)
  }
  return value
}

function packageReference(value: unknown, field: string): string | undefined {
  if (value === undefined) {
    return undefined
  }
  if (typeof value !== "string" || !PACKAGE_REFERENCE.test(value)) {
    throw new OrderFeedBuildError(
      "INVALID_PACKAGE_REFERENCE",
      field,
      `must be a positive integer of at most 20 digits without leading zeros (MerchantFulfillmentID is an IDNumber), got ${String(value)}`
    )
  }
  return value
}

interface CheckedItem {
  amazonOrderItemCode: string
  quantity: number
}

interface CheckedPackage {
  amazonOrderId: string
  packageReference?: string
  fulfillmentDate: string
  carrier: { element: "CarrierCode" | "CarrierName"; value: string }
  shippingMethod?: string
  trackingNumber: string
  items?: CheckedItem[]
}

function checkPackage(input: OrderFulfillmentPackageInput, at: string): CheckedPackage {
  if (typeof input !== "object" || input === null) {
    throw new OrderFeedBuildError("MISSING_FIELD", at, "must be an object")
  }
  const amazonOrderId = requireText(input.amazonOrderId, `${at}.amazonOrderId`)
  const carrierCode = optionalText(input.carrierCode, `${at}.carrierCode`)
  const carrierName = optionalText(input.carrierName, `${at}.carrierName`)
  if (carrierCode === undefined && carrierName === undefined) {
    throw new OrderFeedBuildError("CARRIER_REQUIRED", `${at}.carrierCode`, "give carrierCode or carrierName")
  }
  if (carrierCode !== undefined && carrierName !== undefined) {
    // FulfillmentData holds a choice of the two; Amazon's "Other" code + name of confirmShipment has no XML twin.
    throw new OrderFeedBuildError("CARRIER_AMBIGUOUS", `${at}.carrierName`, "give carrierCode or carrierName, not both")
  }
  const checked: CheckedPackage = {
    amazonOrderId,
    packageReference: packageReference(input.packageReference, `${at}.packageReference`),
    fulfillmentDate: fulfillmentDate(input.fulfillmentDate, `${at}.fulfillmentDate`),
    carrier:
      carrierCode !== undefined
        ? { element: "CarrierCode", value: carrierCode }
        : { element: "CarrierName", value: carrierName as string },
    shippingMethod: optionalText(input.shippingMethod, `${at}.shippingMethod`),
    trackingNumber: requireText(input.trackingNumber, `${at}.trackingNumber`),
  }
  if (input.items !== undefined) {
    const items = requireArray<OrderFulfillmentItemInput>(input.items, `${at}.items`, "EMPTY_ITEMS")
    const seen = new Map<string, number>()
    checked.items = items.map((item, i) => {
      const itemAt = `${at}.items[${i}]`
      if (typeof item !== "object" || item === null) {
        throw new OrderFeedBuildError("MISSING_FIELD", itemAt, "must be an object")
      }
      const code = requireText(item.amazonOrderItemCode, `${itemAt}.amazonOrderItemCode`)
      const earlier = seen.get(code)
      if (earlier !== undefined) {
        // One Item per order item: two would be summed by some readers and refused by others.
        throw new OrderFeedBuildError(
          "DUPLICATE_ITEM",
          `${itemAt}.amazonOrderItemCode`,
          `order item ${code} is already in ${at}.items[${earlier}]`
        )
      }
      seen.set(code, i)
      return { amazonOrderItemCode: code, quantity: quantity(item.quantity, `${itemAt}.quantity`) }
    })
  }
  return checked
}

/**
 * Builds one POST_ORDER_FULFILLMENT_DATA document with MessageIDs 1..n in package order. Throws
 * {@link OrderFeedBuildError} naming the first bad field; nothing is built then.
 */
export function buildOrderFulfillmentFeed(input: BuildOrderFulfillmentFeedInput): BuiltOrderFulfillmentFeed {
  const envelope = startEnvelope(input.sellerId, "OrderFulfillment")
  const packages = requireArray<OrderFulfillmentPackageInput>(input.packages, "packages", "EMPTY_FEED")
  const references = new Map<string, number>()
  const messages: OrderFulfillmentMessageRef[] = []

  packages.forEach((raw, index) => {
    const at = `packages[${index}]`
    const pkg = checkPackage(raw, at)
    if (pkg.packageReference !== undefined) {
      const earlier = references.get(pkg.packageReference)
      if (earlier !== undefined) {
        // A repeated reference would make Amazon skip the second package as already applied.
        throw new OrderFeedBuildError(
          "DUPLICATE_PACKAGE_REFERENCE",
          `${at}.packageReference`,
          `${pkg.packageReference} is already used by packages[${earlier}]`
        )
      }
      references.set(pkg.packageReference, index)
    }

    const messageId = index + 1
    const message = envelope.ele("Message")
    message.ele("MessageID").txt(String(messageId))
    const body = message.ele("OrderFulfillment")
    body.ele("AmazonOrderID").txt(pkg.amazonOrderId)
    if (pkg.packageReference !== undefined) {
      body.ele("MerchantFulfillmentID").txt(pkg.packageReference)
    }
    body.ele("FulfillmentDate").txt(pkg.fulfillmentDate)
    const data = body.ele("FulfillmentData")
    data.ele(pkg.carrier.element).txt(pkg.carrier.value)
    if (pkg.shippingMethod !== undefined) {
      data.ele("ShippingMethod").txt(pkg.shippingMethod)
    }
    data.ele("ShipperTrackingNumber").txt(pkg.trackingNumber)
    for (const item of pkg.items ?? []) {
      const element = body.ele("Item")
      element.ele("AmazonOrderItemCode").txt(item.amazonOrderItemCode)
      element.ele("Quantity").txt(String(item.quantity))
    }

    messages.push({
      messageId,
      amazonOrderId: pkg.amazonOrderId,
      ...(pkg.packageReference !== undefined ? { packageReference: pkg.packageReference } : {}),
    })
  })

  return { xml: endEnvelope(envelope), messages }
}
