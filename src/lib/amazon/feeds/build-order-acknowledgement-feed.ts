/**
 * POST_ORDER_ACKNOWLEDGEMENT_DATA builder: with StatusCode Failure it is how a seller cancels a
 * merchant-fulfilled order, or some of its items (FACTS §10).
 *
 * Pure: seller id and acknowledgements come in as arguments. Never send Failure for an order any unit of
 * which was confirmed shipped (Amazon then refunds the whole order); that rule needs the order's state, so
 * the caller enforces it, and the simulator refuses such a message.
 *
 * Element order follows OrderAcknowledgement.xsd: AmazonOrderID, MerchantOrderID?, StatusCode,
 * Item*{AmazonOrderItemCode, MerchantOrderItemID?, CancelReason?}.
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

/** OrderAcknowledgement.xsd `CancelReason` enumeration (FACTS §10). */
export const CANCEL_REASONS = [
  "NoInventory",
  "ShippingAddressUndeliverable",
  "CustomerExchange",
  "BuyerCanceled",
  "GeneralAdjustment",
  "CarrierCreditDecision",
  "RiskAssessmentInformationNotValid",
  "CarrierCoverageFailure",
  "CustomerReturn",
  "MerchandiseNotReceived",
] as const

/**
 * Why we cancel. For every reason except NoInventory Amazon adds the cancelled units back to the listing's
 * quantity (FACTS §10); our next absolute quantity push overwrites that either way.
 */
export type CancelReason = (typeof CANCEL_REASONS)[number]

export type AcknowledgementStatusCode = "Success" | "Failure"

export interface AcknowledgedItemInput {
  amazonOrderItemCode: string
  merchantOrderItemId?: string
}

export interface CancelledItemInput extends AcknowledgedItemInput {
  cancelReason: CancelReason
}

interface AcknowledgementBase {
  amazonOrderId: string
  /** Our order id, which Amazon then shows beside its own. */
  merchantOrderId?: string
}

/** Success: we take the order (items optional, only to send our item ids along). */
export interface AcceptOrderInput extends AcknowledgementBase {
  statusCode: "Success"
  items?: readonly AcknowledgedItemInput[]
}

/**
 * Failure: we cancel. With `items`, only those items are cancelled, each with its reason; without, the
 * whole order (the schema has no order-level reason, so none is sent).
 */
export interface CancelOrderInput extends AcknowledgementBase {
  statusCode: "Failure"
  items?: readonly CancelledItemInput[]
}

export type OrderAcknowledgementInput = AcceptOrderInput | CancelOrderInput

export interface BuildOrderAcknowledgementFeedInput {
  sellerId: string
  acknowledgements: readonly OrderAcknowledgementInput[]
}

export interface OrderAcknowledgementMessageRef {
  messageId: number
  amazonOrderId: string
  statusCode: AcknowledgementStatusCode
}

export type BuiltOrderAcknowledgementFeed = BuiltOrderFeed<OrderAcknowledgementMessageRef>

const CANCEL_REASON_SET: ReadonlySet<string> = new Set(CANCEL_REASONS)

export function isCancelReason(value: unknown): value is CancelReason {
  return typeof value === "string" && CANCEL_REASON_SET.has(value)
}

interface CheckedItem {
  amazonOrderItemCode: string
  merchantOrderItemId?: string
  cancelReason?: CancelReason
}

function checkItems(
  input: OrderAcknowledgementInput,
  at: string
): CheckedItem[] | undefined {
  if (input.items === undefined) {
    return undefined
  }
  const items = requireArray<AcknowledgedItemInput & { cancelReason?: unknown }>(input.items, `${at}.items`, "EMPTY_ITEMS")
  const seen = new Map<string, number>()
  return items.map((item, i) => {
    const itemAt = `${at}.items[${i}]`
    if (typeof item !== "object" || item === null) {
      throw new OrderFeedBuildError("MISSING_FIELD", itemAt, "must be an object")
    }
    const code = requireText(item.amazonOrderItemCode, `${itemAt}.amazonOrderItemCode`)
    const earlier = seen.get(code)
    if (earlier !== undefined) {
      throw new OrderFeedBuildError(
        "DUPLICATE_ITEM",
        `${itemAt}.amazonOrderItemCode`,
        `order item ${code} is already in ${at}.items[${earlier}]`
      )
    }
    seen.set(code, i)
    const checked: CheckedItem = {
      amazonOrderItemCode: code,
      merchantOrderItemId: optionalText(item.merchantOrderItemId, `${itemAt}.merchantOrderItemId`),
    }
    if (input.statusCode === "Failure") {
      if (!isCancelReason(item.cancelReason)) {
        throw new OrderFeedBuildError(
          "INVALID_CANCEL_REASON",
          `${itemAt}.cancelReason`,
          `must be one of ${CANCEL_REASONS.join(", ")}, got ${String(item.cancelReason)}`
        )
      }
      checked.cancelReason = item.cancelReason
    } else if (item.cancelReason !== undefined) {
      throw new OrderFeedBuildError(
        "CANCEL_REASON_NOT_ALLOWED",
        `${itemAt}.cancelReason`,
        "only a Failure acknowledgement cancels items"
      )
    }
    return checked
  })
}

/**
 * Builds one POST_ORDER_ACKNOWLEDGEMENT_DATA document with MessageIDs 1..n in input order. One message per
 * order: two messages for the same order would leave its outcome to the processing order, so that is
 * refused (DUPLICATE_ORDER). Throws {@link OrderFeedBuildError} naming the first bad field.
 */
export function buildOrderAcknowledgementFeed(
  input: BuildOrderAcknowledgementFeedInput
): BuiltOrderAcknowledgementFeed {
  const envelope = startEnvelope(input.sellerId, "OrderAcknowledgement")
  const acknowledgements = requireArray<OrderAcknowledgementInput>(
    input.acknowledgements,
    "acknowledgements",
    "EMPTY_FEED"
  )
  const orders = new Map<string, number>()
  const messages: OrderAcknowledgementMessageRef[] = []

  acknowledgements.forEach((ack, index) => {
    const at = `acknowledgements[${index}]`
    if (typeof ack !== "object" || ack === null) {
      throw new OrderFeedBuildError("MISSING_FIELD", at, "must be an object")
    }
    const amazonOrderId = requireText(ack.amazonOrderId, `${at}.amazonOrderId`)
    const earlier = orders.get(amazonOrderId)
    if (earlier !== undefined) {
      throw new OrderFeedBuildError(
        "DUPLICATE_ORDER",
        `${at}.amazonOrderId`,
        `order ${amazonOrderId} is already acknowledged by acknowledgements[${earlier}]`
      )
    }
    orders.set(amazonOrderId, index)
    const statusCode: unknown = ack.statusCode
    if (statusCode !== "Success" && statusCode !== "Failure") {
      throw new OrderFeedBuildError(
        "INVALID_STATUS_CODE",
        `${at}.statusCode`,
        `must be "Success" or "Failure", got ${String(statusCode)}`
      )
    }
    const merchantOrderId = optionalText(ack.merchantOrderId, `${at}.merchantOrderId`)
    const items = checkItems(ack, at)

    const messageId = index + 1
    const message = envelope.ele("Message")
    message.ele("MessageID").txt(String(messageId))
    const body = message.ele("OrderAcknowledgement")
    body.ele("AmazonOrderID").txt(amazonOrderId)
    if (merchantOrderId !== undefined) {
      body.ele("MerchantOrderID").txt(merchantOrderId)
    }
    body.ele("StatusCode").txt(statusCode)
    for (const item of items ?? []) {
      const element = body.ele("Item")
      element.ele("AmazonOrderItemCode").txt(item.amazonOrderItemCode)
      if (item.merchantOrderItemId !== undefined) {
        element.ele("MerchantOrderItemID").txt(item.merchantOrderItemId)
      }
      if (item.cancelReason !== undefined) {
        element.ele("CancelReason").txt(item.cancelReason)
      }
    }
    messages.push({ messageId, amazonOrderId, statusCode })
  })

  return { xml: endEnvelope(envelope), messages }
}
