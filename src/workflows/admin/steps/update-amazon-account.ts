import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { UpdateAmazonAccountInput } from "../../../modules/amazon/service"

export const updateAmazonAccountStepId = "amazon-update-account"

export type UpdateAmazonAccountStepInput = Omit<UpdateAmazonAccountInput, "settings">

/** Stored columns restored by the compensation (the secrets stay in their encrypted form). */
const RESTORABLE = [
  "name",
  "region",
  "seller_id",
  "marketplace_ids",
  "lwa_client_id",
  "lwa_client_secret_encrypted",
  "refresh_token_encrypted",
  "sp_api_base_url",
  "lwa_token_url",
  "enabled",
  "authorized_at",
] as const

/**
 * Updates an account's connection fields (name, region, seller, marketplaces, credentials, URLs,
 * enabled). A new secret is encrypted by the module; an omitted one is kept. Settings are not touched
 * here (see mergeAmazonAccountSettingsStep). Undone by writing the previous stored columns back.
 *
 * @example
 * updateAmazonAccountStep({ id: "amzacc_…", enabled: false })
 */
export const updateAmazonAccountStep = createStep(
  updateAmazonAccountStepId,
  async (input: UpdateAmazonAccountStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [previous] = await amazon.listAmazonAccounts({ id: input.id }, { take: 1, select: [...RESTORABLE, "id"] })
    if (!previous) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.id} was not found`)
    }
    const { id, ...changes } = input
    if (!Object.keys(changes).length) {
      return new StepResponse<{ id: string }, Record<string, unknown> | null>({ id }, null)
    }
    await amazon.updateAccount(input)
    const restore: Record<string, unknown> = { id }
    for (const key of RESTORABLE) {
      restore[key] = (previous as Record<string, unknown>)[key]
    }
    return new StepResponse<{ id: string }, Record<string, unknown> | null>({ id }, restore)
  },
  async (restore, { container }) => {
    if (!restore) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    // the generated update writes the stored (already encrypted) values as they were
    await amazon.updateAmazonAccounts(restore as any)
  }
)
