import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const loadAmazonOrderForRetryStepId = "amazon-load-order-for-retry"

export interface LoadAmazonOrderForRetryStepInput {
  /** Our amazon_order record id (amzord_…). */
  id: string
}

export interface LoadAmazonOrderForRetryStepOutput {
  account_id: string
  marketplace_id: string
  amazon_order_id: string
  payload: unknown
}

/**
 * Reads what a retry needs from an amazon_order record: its account, marketplace and the payload Amazon
 * sent last. A record without an account or a payload cannot be retried (NOT_ALLOWED).
 *
 * @example
 * const target = loadAmazonOrderForRetryStep({ id: "amzord_01…" })
 */
export const loadAmazonOrderForRetryStep = createStep(
  loadAmazonOrderForRetryStepId,
  async (input: LoadAmazonOrderForRetryStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [row] = await amazon.listAmazonOrders({ id: input.id }, { take: 1 })
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon order record ${input.id} was not found`)
    }
    const accountId = (row as { account_id?: string | null }).account_id
    if (!accountId || !row.payload) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Amazon order ${row.amazon_order_id} cannot be retried: ${!accountId ? "it belongs to no account" : "no payload was kept"}`
      )
    }
    return new StepResponse<LoadAmazonOrderForRetryStepOutput>({
      account_id: accountId,
      marketplace_id: row.marketplace_id,
      amazon_order_id: row.amazon_order_id,
      payload: row.payload,
    })
  }
)
