import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const softDeleteAmazonAccountStepId = "amazon-soft-delete-account"

export interface SoftDeleteAmazonAccountStepInput {
  id: string
}

/**
 * Soft-deletes an account; the model cascades to its listings, cursors, feeds and FBA snapshots.
 * Imported orders stay (they are the history of Medusa orders). Undone by restoring the account.
 *
 * @example
 * softDeleteAmazonAccountStep({ id: "amzacc_…" })
 */
export const softDeleteAmazonAccountStep = createStep(
  softDeleteAmazonAccountStepId,
  async (input: SoftDeleteAmazonAccountStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [account] = await amazon.listAmazonAccounts({ id: input.id }, { take: 1, select: ["id"] })
    if (!account) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.id} was not found`)
    }
    await amazon.softDeleteAmazonAccounts([input.id])
    return new StepResponse({ id: input.id }, input.id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.restoreAmazonAccounts([id])
  }
)
