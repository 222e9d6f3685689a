import type { IStockLocationService, StockLocationDTO } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { createStockLocationsWorkflow, linkSalesChannelsToStockLocationWorkflow } from "@medusajs/medusa/core-flows"
import { fbaLocationCountry, fbaLocationName } from "../../../lib/amazon/fba/levels"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { FBA_LOCATION_METADATA } from "../constants"

export const ensureFbaLocationStepId = "amazon-ensure-fba-location"

export interface EnsureFbaLocationStepInput {
  account_id: string
  account_name: string
  marketplace_id: string
  /** settings.fba_location_ids[marketplace_id], if any. */
  location_id: string | null
  sales_channel_id: string
  /** settings.stock_location_ids: an FBA location must never be one of the merchant's own. */
  merchant_location_ids: string[]
}

export interface EnsureFbaLocationStepOutput {
  location_id: string
  created: boolean
  /** True when the link to the sales channel was added by this call. */
  linked: boolean
}

function isOurs(location: Pick<StockLocationDTO, "metadata">, accountId: string, marketplaceId: string) {
  const m = (location.metadata ?? {}) as Record<string, unknown>
  return m[FBA_LOCATION_METADATA.flag] === true && m[FBA_LOCATION_METADATA.account] === accountId && m[FBA_LOCATION_METADATA.marketplace] === marketplaceId
}

/**
 * The stock location that stands for Amazon's warehouses of one account + marketplace ("Amazon FBA (DE)"),
 * linked to the Amazon sales channel and remembered in settings.fba_location_ids. Created on demand with
 * Medusa's createStockLocationsWorkflow; found again by its metadata if the setting was lost (self-healing).
 *
 * No compensation on purpose: the location is durable and idempotently found again by the next run; removing
 * it because a later step failed would strand the levels already written there and churn its id.
 *
 * @example
 * const location = ensureFbaLocationStep({ account_id, account_name, marketplace_id, location_id, sales_channel_id, merchant_location_ids })
 */
export const ensureFbaLocationStep = createStep(
  ensureFbaLocationStepId,
  async (input: EnsureFbaLocationStepInput, { container }) => {
    const locations = container.resolve<IStockLocationService>(Modules.STOCK_LOCATION)
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)

    let locationId: string | null = null
    let created = false
    if (input.location_id) {
      const [configured] = await locations.listStockLocations({ id: input.location_id }, { take: 1, select: ["id"] })
      locationId = configured?.id ?? null
      if (!locationId) {
        logger.warn(
          `amazon fba_stock: FBA location ${input.location_id} of account=${input.account_id} marketplace=${input.marketplace_id} is gone; finding or creating another`
        )
      }
    }

    if (!locationId) {
      const all = await locations.listStockLocations({}, { select: ["id", "name", "metadata"] })
      const ours = all.find((l) => isOurs(l, input.account_id, input.marketplace_id))
      if (ours) {
        locationId = ours.id
      } else {
        const base = fbaLocationName(input.marketplace_id)
        // Two accounts selling in the same marketplace each get their own location.
        const name = all.some((l) => l.name === base) ? `${base} – ${input.account_name}` : base
        const country = fbaLocationCountry(input.marketplace_id)
        const { result } = await createStockLocationsWorkflow(container).run({
          input: {
            locations: [
              {
                name,
                ...(country ? { address: { address_1: "Amazon fulfilment network", country_code: country } } : {}),
                metadata: {
                  [FBA_LOCATION_METADATA.flag]: true,
                  [FBA_LOCATION_METADATA.account]: input.account_id,
                  [FBA_LOCATION_METADATA.marketplace]: input.marketplace_id,
                },
              },
            ],
          },
        })
        locationId = result[0].id
        created = true
        logger.info(`amazon fba_stock: created stock location "${name}" (${locationId}) for account=${input.account_id}`)
      }
    }

    if (input.merchant_location_ids.includes(locationId)) {
      // Writing Amazon's snapshot there would overwrite the merchant's own stock.
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Stock location ${locationId} is both the FBA location of ${input.marketplace_id} and a merchant location (settings.stock_location_ids); refusing to sync FBA stock into it`
      )
    }

    let linked = false
    const { data } = await query.graph({
      entity: "stock_location",
      fields: ["id", "sales_channels.id"],
      filters: { id: locationId },
    })
    const channels = ((data[0] as { sales_channels?: { id: string }[] } | undefined)?.sales_channels ?? []).map((c) => c?.id)
    if (!channels.includes(input.sales_channel_id)) {
      await linkSalesChannelsToStockLocationWorkflow(container).run({
        input: { id: locationId, add: [input.sales_channel_id] },
      })
      linked = true
    }

    if (locationId !== input.location_id) {
      await amazon.setFbaLocationId(input.account_id, input.marketplace_id, locationId)
    }

    return new StepResponse<EnsureFbaLocationStepOutput>({ location_id: locationId, created, linked })
  }
)
