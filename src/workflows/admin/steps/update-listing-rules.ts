import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { quantityRulesProblem, type QuantityRules } from "../../../types/account-settings"

export const updateListingRulesStepId = "amazon-update-listing-rules"

export interface UpdateListingRulesStepInput {
  listing_id: string
  /**
   * The SKU's complete rules: they replace the stored ones entirely (a field left out is no longer
   * overridden). null or {} removes them, so the account's rules apply.
   */
  rules: QuantityRules | null
}

/**
 * Writes a listing's rules in one statement and hands back the ones it replaced.
 *
 * Not through `updateAmazonListings`: Medusa's update assigns with `mergeObjectProperties`, which merges a
 * json column into its stored object, so a `max` the merchant removed would stay in force.
 */
async function replaceListingRules(
  container: MedusaContainer,
  listingId: string,
  rules: QuantityRules | null
): Promise<{ previous: QuantityRules | null } | null> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await knex.raw(
    `update amazon_listing l
        set rules = ?::jsonb, updated_at = now()
       from (select id, rules from amazon_listing where id = ? and deleted_at is null for update) old
      where l.id = old.id
  returning old.rules as previous`,
    [rules === null ? null : JSON.stringify(rules), listingId]
  )
  return rows.length ? { previous: (rows[0].previous ?? null) as QuantityRules | null } : null
}

/**
 * Replaces a listing's quantity rules (min above max → 400, nothing written). Undone by writing the
 * previous rules back.
 *
 * @example
 * updateListingRulesStep({ listing_id: "amzlst_…", rules: { buffer: 2, max: 50 } })
 */
export const updateListingRulesStep = createStep(
  updateListingRulesStepId,
  async (input: UpdateListingRulesStepInput, { container }) => {
    const problem = quantityRulesProblem(input.rules)
    if (problem) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, problem)
    }
    const rules = input.rules && Object.keys(input.rules).length ? input.rules : null
    const replaced = await replaceListingRules(container, input.listing_id, rules)
    if (!replaced) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon listing with id: ${input.listing_id} was not found`)
    }
    return new StepResponse({ id: input.listing_id, rules }, { id: input.listing_id, rules: replaced.previous })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    await replaceListingRules(container, previous.id, previous.rules)
  }
)
