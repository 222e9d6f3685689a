import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const wipeAmazonAccountSecretsStepId = "amazon-wipe-account-secrets"

export interface WipeAmazonAccountSecretsStepInput {
  id: string
}

/**
 * Overwrites a disconnected account's encrypted LWA client secret and refresh token, so nothing usable
 * stays in the database (or its backups from then on). The last step of a disconnect on purpose: it
 * cannot be undone, so nothing that could fail runs after it. Reconnecting means entering the secrets again.
 *
 * @example
 * wipeAmazonAccountSecretsStep({ id: "amzacc_…" })
 */
export const wipeAmazonAccountSecretsStep = createStep(
  wipeAmazonAccountSecretsStepId,
  async (input: WipeAmazonAccountSecretsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.wipeAccountSecrets(input.id)
    return new StepResponse({ id: input.id })
  }
)
