import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { CreateAmazonAccountInput } from "../../../modules/amazon/service"

export const createAmazonAccountsStepId = "amazon-create-accounts"

export type CreateAmazonAccountsStepInput = CreateAmazonAccountInput[]

/**
 * Creates Amazon accounts. The module encrypts the client secret and refresh token before they reach the
 * database and returns the public form only (secrets reported as set). Undone by deleting the accounts.
 *
 * @example
 * const accounts = createAmazonAccountsStep([{ name: "DE", region: "EU", seller_id: "A1…", … }])
 */
export const createAmazonAccountsStep = createStep(
  createAmazonAccountsStepId,
  async (input: CreateAmazonAccountsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const created = await amazon.createAccounts(input)
    return new StepResponse(
      created,
      created.map((a) => a.id as string)
    )
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.deleteAmazonAccounts(ids)
  }
)
