import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { buyerDataCutoff } from "../constants"

export const resolveBuyerDataCutoffStepId = "amazon-resolve-buyer-data-cutoff"

export interface ResolveBuyerDataCutoffStepInput {
  /** ISO time to count from; default now. */
  now?: string
  /** Overrides the plugin option buyerDataRetentionDays. */
  retention_days?: number
}

export interface ResolveBuyerDataCutoffStepOutput {
  retention_days: number
  /** ISO time: orders closed (amazon_updated_at) before it lose their buyer data. */
  cutoff: string
}

/**
 * The closing time before which an order's buyer data goes: now minus the plugin option
 * `buyerDataRetentionDays` (default 30). Reads only; nothing to undo.
 *
 * @example
 * const { cutoff } = resolveBuyerDataCutoffStep({})
 */
export const resolveBuyerDataCutoffStep = createStep(
  resolveBuyerDataCutoffStepId,
  async (input: ResolveBuyerDataCutoffStepInput, { container }) => {
    const days = input.retention_days ?? container.resolve<AmazonModuleService>(AMAZON_MODULE).getBuyerDataRetentionDays()
    if (!Number.isInteger(days) || days < 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `retention_days must be a whole number of days ≥ 0, got ${days}`)
    }
    const now = input.now ? new Date(input.now) : new Date()
    if (Number.isNaN(now.getTime())) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `now is not a date: ${JSON.stringify(input.now)}`)
    }
    return new StepResponse<ResolveBuyerDataCutoffStepOutput>({
      retention_days: days,
      cutoff: buyerDataCutoff(now, days).toISOString(),
    })
  }
)
