import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { AccountSettingsSchema } from "../../../types/account-settings"
import { Sql, stockOfVariants } from "../../shared/medusa-tables"
import {
  applySettingsPatch,
  countsNoLocation,
  noLocationProblem,
  quantitySettingsChanged,
  settingsStockImpact,
  StockImpact,
  zeroStockProblem,
} from "../lib/settings-impact"
import { fbaLocationsOfAllAccounts, linkedMerchantListings } from "../utils/account-listings"

export const checkSettingsStockImpactStepId = "amazon-check-settings-stock-impact"

/** The stable code of the refusal (the message says the same in the merchant's words). */
export const ZERO_STOCK_CONFIRMATION_REQUIRED = "ZERO_STOCK_CONFIRMATION_REQUIRED"

export interface CheckSettingsStockImpactStepInput {
  /** Existing account (update); absent when the account is being created (it has no listings yet). */
  account_id?: string
  /** The settings patch as sent (null = back to the default). */
  settings?: Record<string, unknown> | null
  /** The merchant confirmed that the change may set listings to 0. */
  confirm_zero_stock?: boolean
}

export interface CheckSettingsStockImpactStepOutput {
  /** A key that decides quantities (counted locations, rules, unmanaged quantity) really changes. */
  quantity_changed: boolean
  /** What was measured (null when nothing had to be: no quantity change, confirmed, or no account yet). */
  impact: StockImpact | null
}

/**
 * Refuses (400) a settings change that would take most of the account's stocked Amazon listings to 0,
 * unless the request confirms it: counting no location at all, locations that hold none of the linked
 * variants' stock, or rules that leave nothing (max 0, percentage 0, a buffer above every variant's stock).
 * Measured, not guessed: each linked merchant-fulfilled listing's quantity is computed as the stock push
 * computes it, with the stored settings and with the patched ones; refused when more than half of the
 * listings that have stock now (and at least one) would get 0. Counting no location is always refused
 * without the confirmation, even before any listing is linked. Read-only; runs before any write.
 *
 * @example
 * const { quantity_changed } = checkSettingsStockImpactStep({ account_id: "amzacc_…", settings: { rules: { max: 0 } } })
 */
export const checkSettingsStockImpactStep = createStep(
  checkSettingsStockImpactStepId,
  async (input: CheckSettingsStockImpactStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    let stored: Record<string, unknown> = {}
    if (input.account_id) {
      const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { take: 1, select: ["id", "settings"] })
      if (!account) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.account_id} was not found`)
      }
      stored = (account.settings ?? {}) as Record<string, unknown>
    }
    // Stored settings that no longer parse are what the push refuses to use: measure "now" with the defaults.
    const before = AccountSettingsSchema.safeParse(stored)
    const after = AccountSettingsSchema.safeParse(applySettingsPatch(stored, input.settings))
    if (!after.success) {
      // mergeAmazonAccountSettingsStep answers it with the exact field; nothing to measure on invalid settings
      return new StepResponse<CheckSettingsStockImpactStepOutput>({ quantity_changed: false, impact: null })
    }
    const beforeSettings = before.success ? before.data : {}
    const quantityChanged = quantitySettingsChanged(beforeSettings, after.data)
    if (!quantityChanged || input.confirm_zero_stock) {
      return new StepResponse<CheckSettingsStockImpactStepOutput>({ quantity_changed: quantityChanged, impact: null })
    }
    if (countsNoLocation(beforeSettings, after.data)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, noLocationProblem(), ZERO_STOCK_CONFIRMATION_REQUIRED)
    }
    if (!input.account_id) {
      return new StepResponse<CheckSettingsStockImpactStepOutput>({ quantity_changed: quantityChanged, impact: null })
    }

    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    const listings = await linkedMerchantListings(sql, input.account_id)
    if (!listings.length) {
      return new StepResponse<CheckSettingsStockImpactStepOutput>({ quantity_changed: quantityChanged, impact: null })
    }
    const impact = settingsStockImpact({
      listings,
      stock: await stockOfVariants(sql, listings.map((l) => l.variant_id)),
      before: beforeSettings,
      after: after.data,
      fba_location_ids: [...(await fbaLocationsOfAllAccounts(amazon)).keys()],
    })
    const problem = zeroStockProblem(impact)
    if (problem) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, problem, ZERO_STOCK_CONFIRMATION_REQUIRED)
    }
    return new StepResponse<CheckSettingsStockImpactStepOutput>({ quantity_changed: quantityChanged, impact })
  }
)
