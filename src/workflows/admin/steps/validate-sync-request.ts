import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { SyncStream } from "../constants"

export const validateSyncRequestStepId = "amazon-validate-sync-request"

export interface ValidateSyncRequestStepInput {
  stream: SyncStream
  account_id?: string
}

/**
 * Refuses a "sync now" that cannot do anything: an unknown or disabled account, or no enabled account at
 * all, so the merchant gets a 400 with the reason instead of a 202 for a run that silently does nothing.
 * Read-only.
 *
 * @example
 * validateSyncRequestStep({ stream: "stock_push" })
 */
export const validateSyncRequestStep = createStep(
  validateSyncRequestStepId,
  async (input: ValidateSyncRequestStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    if (input.account_id) {
      const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { take: 1, select: ["id", "enabled", "name"] })
      if (!account) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.account_id} was not found`)
      }
      if (!account.enabled) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Amazon account "${account.name}" is disabled; enable it before syncing`)
      }
    } else {
      const [, enabled] = await amazon.listAndCountAmazonAccounts({ enabled: true }, { take: 1, select: ["id"] })
      if (!enabled) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "No enabled Amazon account: connect or enable one before syncing")
      }
    }
    return new StepResponse({ stream: input.stream, account_id: input.account_id ?? null })
  }
)
