import type { RemoteQueryFunction } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { QuantityRules, quantityRulesProblem } from "../../../types/account-settings"
import { fbaLocationsOfAllAccounts } from "../utils/account-listings"

export const validateAccountSettingsStepId = "amazon-validate-account-settings"

export interface ValidateAccountSettingsStepInput {
  /** Existing account (update); absent when the account is being created. */
  account_id?: string
  /** The account's marketplaces after the change (update: the stored ones when not given). */
  marketplace_ids?: string[]
  /** The settings patch as sent (null values = back to the default, nothing to check). */
  settings?: Record<string, unknown> | null
}

/** Which of these ids exist as live rows of a Medusa entity (soft-deleted rows do not count). */
async function existing(query: Pick<RemoteQueryFunction, "graph">, entity: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) {
    return new Set()
  }
  const { data } = await query.graph({ entity, fields: ["id"], filters: { id: ids } })
  return new Set((data as { id: string }[]).map((r) => r.id))
}

/**
 * Checks what a settings patch refers to before anything is written: every counted stock location, the
 * sales channel and the regions must exist (a wrong location id would silently count no stock and send
 * 0 for every SKU; a wrong channel or region would only fail at the next order import), counted
 * locations must not be the plugin's FBA locations (that stock is in Amazon's warehouses, and the push
 * never counts it), region_ids keys must be the account's marketplaces, and the rules' min must not be
 * above their max. Every problem is reported at once (400). Read-only.
 *
 * @example
 * validateAccountSettingsStep({ account_id: "amzacc_…", settings: { stock_location_ids: ["sloc_…"] } })
 */
export const validateAccountSettingsStep = createStep(
  validateAccountSettingsStepId,
  async (input: ValidateAccountSettingsStepInput, { container }) => {
    const settings = input.settings ?? {}
    const problems: string[] = []

    const rules = settings.rules as QuantityRules | null | undefined
    const rulesProblem = quantityRulesProblem(rules, "settings.rules")
    if (rulesProblem) problems.push(rulesProblem)

    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)

    const locationIds = Array.isArray(settings.stock_location_ids) ? [...new Set(settings.stock_location_ids as string[])] : []
    if (locationIds.length) {
      const found = await existing(query, "stock_location", locationIds)
      for (const id of locationIds.filter((id) => !found.has(id))) {
        problems.push(`Field 'settings.stock_location_ids': stock location ${id} does not exist`)
      }
      // FBA locations of every account: the push excludes all of them, so counting one counts nothing
      const fba = await fbaLocationsOfAllAccounts(amazon)
      for (const id of locationIds.filter((id) => fba.has(id))) {
        problems.push(
          `Field 'settings.stock_location_ids': stock location ${id} is the Amazon FBA location of ${fba.get(id)}; ` +
            `its stock is in Amazon's warehouses and cannot count as your own`
        )
      }
    }

    const channelId = typeof settings.sales_channel_id === "string" ? settings.sales_channel_id : null
    if (channelId !== null && !(await existing(query, "sales_channel", [channelId])).has(channelId)) {
      problems.push(`Field 'settings.sales_channel_id': sales channel ${channelId} does not exist`)
    }

    const regionIds = settings.region_ids && typeof settings.region_ids === "object" ? (settings.region_ids as Record<string, string>) : null
    if (regionIds && Object.keys(regionIds).length) {
      let marketplaces = input.marketplace_ids
      if (!marketplaces && input.account_id) {
        const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { take: 1, select: ["id", "marketplace_ids"] })
        if (!account) {
          throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.account_id} was not found`)
        }
        marketplaces = (account.marketplace_ids ?? []) as unknown as string[]
      }
      for (const marketplace of Object.keys(regionIds)) {
        if (marketplaces && !marketplaces.includes(marketplace)) {
          problems.push(`Field 'settings.region_ids': ${marketplace} is not a marketplace of this account`)
        }
      }
      const ids = [...new Set(Object.values(regionIds))]
      const found = await existing(query, "region", ids)
      for (const [marketplace, id] of Object.entries(regionIds)) {
        if (!found.has(id)) {
          problems.push(`Field 'settings.region_ids.${marketplace}': region ${id} does not exist`)
        }
      }
    }

    if (problems.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, problems.join("; "))
    }
    return new StepResponse({ ok: true })
  }
)
