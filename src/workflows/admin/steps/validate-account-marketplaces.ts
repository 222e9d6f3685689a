import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { AmazonRegion } from "../../../lib/amazon/endpoints"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { marketplaceProblems } from "../lib/marketplaces"

export const validateAccountMarketplacesStepId = "amazon-validate-account-marketplaces"

export interface ValidateAccountMarketplacesStepInput {
  /** Existing account (update); its stored region/marketplaces fill what the input leaves out. */
  id?: string
  region?: AmazonRegion
  marketplace_ids?: string[]
}

/**
 * Checks that every marketplace of an account is known and belongs to the account's region (a DE
 * marketplace on an NA account would send every call to the wrong endpoint). Read-only.
 *
 * @example
 * validateAccountMarketplacesStep({ region: "EU", marketplace_ids: ["A1PA6795UKMFR9"] })
 */
export const validateAccountMarketplacesStep = createStep(
  validateAccountMarketplacesStepId,
  async (input: ValidateAccountMarketplacesStepInput, { container }) => {
    let region = input.region
    let marketplaceIds = input.marketplace_ids
    if (input.id && (!region || !marketplaceIds)) {
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const [account] = await amazon.listAmazonAccounts({ id: input.id }, { take: 1, select: ["id", "region", "marketplace_ids"] })
      if (!account) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.id} was not found`)
      }
      region ??= account.region as AmazonRegion
      marketplaceIds ??= (account.marketplace_ids ?? []) as unknown as string[]
    }
    if (!region || !marketplaceIds) {
      return new StepResponse({ ok: true })
    }
    const problems = marketplaceProblems(region, marketplaceIds)
    if (problems.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid marketplace_ids: ${problems.join("; ")}`)
    }
    return new StepResponse({ ok: true })
  }
)
