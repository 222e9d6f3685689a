import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { readAccountSettings } from "../../../types/account-settings"
import { FBA_STOCK_STREAM } from "../constants"

export const loadFbaAccountStepId = "amazon-load-fba-account"

export interface LoadFbaAccountStepInput {
  account_id: string
  marketplace_id: string
}

export interface LoadFbaAccountStepOutput {
  account_id: string
  account_name: string
  marketplace_id: string
  /** settings.sales_channel_id (null = the channel named "Amazon"). */
  sales_channel_id: string | null
  /** settings.fba_location_ids[marketplace_id], if one was created before. */
  fba_location_id: string | null
  /** settings.stock_location_ids: the merchant locations the FBA sync must never write to. */
  merchant_location_ids: string[]
  cursor_id: string
  watermark: string | null
  cursor_state: Record<string, unknown>
}

/**
 * Reads what an FBA pass needs about the account: its settings and the stream's cursor (created empty
 * the first time). Refuses a disabled account or a marketplace the account does not sell in.
 *
 * @example
 * const account = loadFbaAccountStep({ account_id: "amzacc_1", marketplace_id: "A1PA6795UKMFR9" })
 */
export const loadFbaAccountStep = createStep(
  loadFbaAccountStepId,
  async (input: LoadFbaAccountStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { take: 1 })
    if (!account) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account ${input.account_id} not found`)
    }
    if (!account.enabled) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Amazon account ${account.id} is disabled`)
    }
    const marketplaces = (account.marketplace_ids ?? []) as unknown as string[]
    if (!marketplaces.includes(input.marketplace_id)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Amazon account ${account.id} does not sell in marketplace ${input.marketplace_id}`
      )
    }
    const settings = readAccountSettings(account.settings)
    const cursor = await amazon.getOrCreateCursor(account.id, FBA_STOCK_STREAM, input.marketplace_id)
    const output: LoadFbaAccountStepOutput = {
      account_id: account.id,
      account_name: account.name,
      marketplace_id: input.marketplace_id,
      sales_channel_id: settings.sales_channel_id ?? null,
      fba_location_id: settings.fba_location_ids?.[input.marketplace_id] ?? null,
      merchant_location_ids: settings.stock_location_ids ?? [],
      cursor_id: cursor.id,
      watermark: cursor.watermark ? new Date(cursor.watermark as unknown as string).toISOString() : null,
      cursor_state: (cursor.state as Record<string, unknown> | null) ?? {},
    }
    return new StepResponse(output)
  }
)
