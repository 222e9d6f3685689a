import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { fileAmazonOrderAttention } from "../utils/file-attention"
import type { FileAmazonOrderAttentionInput } from "../utils/file-attention"

export const recordAmazonOrderAttentionStepId = "amazon-record-order-attention"

export type RecordAmazonOrderAttentionStepInput = FileAmazonOrderAttentionInput

/**
 * Stores an Amazon order that cannot be imported as it is (unknown SKU, bad data, unpublished product)
 * as "needs attention" with its reason and payload, and logs it for the admin. Nothing else of the order
 * is applied: no Medusa order, no reservation. The last step of its branch, so it has no compensation.
 *
 * @example
 * recordAmazonOrderAttentionStep({ account_id, marketplace_id, amazon_order_id, code: "UNKNOWN_SKU", reason, payload, last_updated_time })
 */
export const recordAmazonOrderAttentionStep = createStep(
  recordAmazonOrderAttentionStepId,
  async (input: RecordAmazonOrderAttentionStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const id = await fileAmazonOrderAttention(amazon, input)
    return new StepResponse({ record_id: id })
  }
)
