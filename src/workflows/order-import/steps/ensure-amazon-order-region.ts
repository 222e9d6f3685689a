import type { ILockingModule, IRegionModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { createRegionsWorkflow } from "@medusajs/medusa/core-flows"
import { MARKETPLACES } from "../../../lib/amazon/endpoints"

export const ensureAmazonOrderRegionStepId = "amazon-ensure-order-region"

export interface EnsureAmazonOrderRegionStepInput {
  marketplace_id: string
  /** The order's currency (ISO 4217, any case); the marketplace's default currency when absent. */
  currency_code?: string | null
  /** settings.region_ids[marketplace]: when set, that region is used (and must exist). */
  region_id?: string | null
}

export interface EnsureAmazonOrderRegionStepOutput {
  id: string
  currency_code: string
  created: boolean
}

/** The find-or-create of ensureAmazonOrderRegionStep as a function (the batched import calls it per currency). */
export async function ensureAmazonOrderRegion(
  container: MedusaContainer,
  input: EnsureAmazonOrderRegionStepInput
): Promise<EnsureAmazonOrderRegionStepOutput> {
  const regions = container.resolve<IRegionModuleService>(Modules.REGION)
  if (input.region_id) {
    const [configured] = await regions.listRegions({ id: input.region_id }, { take: 1 })
    if (!configured) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `settings.region_ids.${input.marketplace_id} points to region ${input.region_id}, which does not exist`
      )
    }
    return { id: configured.id, currency_code: configured.currency_code, created: false }
  }

  const currency = (input.currency_code ?? MARKETPLACES[input.marketplace_id]?.currency ?? "").toLowerCase()
  if (!/^[a-z]{3}$/.test(currency)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `no currency is known for marketplace ${input.marketplace_id}`)
  }
  const locking = container.resolve<ILockingModule>(Modules.LOCKING)
  const result = await locking.execute(
    `amazon:ensure-region:${currency}`,
    async () => {
      const existing = await regions.listRegions({ currency_code: currency }, { order: { created_at: "ASC" } })
      const ours = existing.find((r) => r.metadata?.amazon_plugin === true)
      const found = ours ?? existing[0]
      if (found) {
        return { id: found.id, currency_code: found.currency_code, created: false }
      }
      const { result: created } = await createRegionsWorkflow(container).run({
        input: {
          regions: [
            {
              name: `Amazon ${currency.toUpperCase()}`,
              currency_code: currency,
              automatic_taxes: false,
              metadata: { amazon_plugin: true },
            },
          ],
        },
      })
      return { id: created[0].id, currency_code: created[0].currency_code, created: true }
    },
    { timeout: 30 }
  )
  return result
}

/**
 * The region of an imported Amazon order: the account's configured region for the marketplace, else a
 * region in the order's currency (one the plugin created first, then the oldest other), else a new
 * "Amazon <currency>" region made with Medusa's createRegionsWorkflow.
 *
 * The created region has no countries (a country belongs to one region only, and the store's own regions
 * may own them already) and no automatic taxes: Amazon computed the tax, the import sets it as given.
 * Find-or-create runs under a lock so two imports cannot create two regions. No compensation on purpose:
 * the region is a shared, durable resource the next import finds again.
 *
 * @example
 * const region = ensureAmazonOrderRegionStep({ marketplace_id: "A1PA6795UKMFR9", currency_code: "EUR" })
 */
export const ensureAmazonOrderRegionStep = createStep(
  ensureAmazonOrderRegionStepId,
  async (input: EnsureAmazonOrderRegionStepInput, { container }) =>
    new StepResponse<EnsureAmazonOrderRegionStepOutput>(await ensureAmazonOrderRegion(container, input))
)
