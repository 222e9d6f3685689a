import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { peekLastUpdatedTime, peekOrderId } from "../../../lib/amazon/orders"
import { parseOrder } from "../../../lib/amazon/parsers/parse-order"
import type { ParsedOrder } from "../../../lib/amazon/parsers/parse-order"
import { AmazonPayloadError } from "../../../lib/amazon/parsers/payload-reader"

export const parseAmazonOrderStepId = "amazon-parse-order"

export interface ParseAmazonOrderStepInput {
  /** One `Order` object of a searchOrders / getOrder response, as received. */
  order: unknown
}

export interface ParseAmazonOrderStepOutput {
  /** Amazon's order id, also when the rest of the order is unreadable (the record is filed under it). */
  amazon_order_id: string | null
  last_updated_time: string | null
  order: ParsedOrder | null
  error: { code: string; path: string; message: string } | null
}

/**
 * Parses one Amazon order. A bad order is not an error of the workflow: it comes back as `error`
 * (OrderParseError code and JSON path) so the import files it as "needs attention" and goes on.
 *
 * @example
 * const parsed = parseAmazonOrderStep({ order: rawOrder })
 */
export const parseAmazonOrderStep = createStep(parseAmazonOrderStepId, async (input: ParseAmazonOrderStepInput) => {
  const amazon_order_id = peekOrderId(input.order)
  const last_updated_time = peekLastUpdatedTime(input.order)
  try {
    const order = parseOrder(input.order)
    return new StepResponse<ParseAmazonOrderStepOutput>({ amazon_order_id: order.orderId, last_updated_time: order.lastUpdatedTime, order, error: null })
  } catch (e) {
    if (e instanceof AmazonPayloadError) {
      return new StepResponse<ParseAmazonOrderStepOutput>({
        amazon_order_id,
        last_updated_time,
        order: null,
        error: { code: e.code, path: e.path, message: e.message },
      })
    }
    throw e
  }
})
