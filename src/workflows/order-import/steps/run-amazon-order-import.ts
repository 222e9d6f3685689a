import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ApplyAmazonOrderWorkflowInput } from "../apply-amazon-order"
import { runApplyAmazonOrder } from "../utils/run-apply-amazon-order"
import type { RunApplyAmazonOrderResult } from "../utils/run-apply-amazon-order"

export const runAmazonOrderImportStepId = "amazon-run-order-import"

export type RunAmazonOrderImportStepInput = ApplyAmazonOrderWorkflowInput

/**
 * Applies one Amazon order in its own applyAmazonOrderWorkflow transaction (with the per-order lock and
 * all compensations), recording a failure as "needs attention" rather than throwing. Its own transaction
 * on purpose: the order is applied completely or not at all, whatever the calling workflow does next.
 *
 * @example
 * const result = runAmazonOrderImportStep({ account_id, marketplace_id, order: payload, force: true })
 */
export const runAmazonOrderImportStep = createStep(
  runAmazonOrderImportStepId,
  async (input: RunAmazonOrderImportStepInput, { container }) => {
    const result: RunApplyAmazonOrderResult = await runApplyAmazonOrder(container, input)
    return new StepResponse(result)
  }
)
