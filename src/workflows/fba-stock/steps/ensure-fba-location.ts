import type { IStockLocationService, StockLocationDTO } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createStockLocationsWorkflow, linkSalesChannelsToStockLocationWorkflow } from "@medusajs/medusa/core-flows"
import { fbaLocationCountry, fbaLocationName } from "../../../lib/amazon/fba/levels"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { FBA_LOCATION_METADATA } from "../constants"

export const ensureFbaLocationWorkflowId = "amazon-ensure-fba-location"

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

type FoundFbaLocation =
  | { location_id: string; create: null }
  | { location_id: null; create: { name: string; country: string | null } }

/**
 * The FBA location if it exists: the configured one, else the one whose metadata names this account and
 * marketplace (the setting was lost); else what to create (its name: "Amazon FBA (DE)", with the account's
 * name when another account already uses that one). Reads only.
 */
const findFbaLocationStep = createStep("amazon-find-fba-location", async (input: EnsureFbaLocationStepInput, { container }) => {
  const locations = container.resolve<IStockLocationService>(Modules.STOCK_LOCATION)
  if (input.location_id) {
    const [configured] = await locations.listStockLocations({ id: input.location_id }, { take: 1, select: ["id"] })
    if (configured) {
      return new StepResponse<FoundFbaLocation>({ location_id: configured.id, create: null })
    }
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(
        `amazon fba_stock: FBA location ${input.location_id} of account=${input.account_id} marketplace=${input.marketplace_id} is gone; finding or creating another`
      )
  }
  const all = await locations.listStockLocations({}, { select: ["id", "name", "metadata"] })
  const ours = all.find((l) => isOurs(l, input.account_id, input.marketplace_id))
  if (ours) {
    return new StepResponse<FoundFbaLocation>({ location_id: ours.id, create: null })
  }
  const base = fbaLocationName(input.marketplace_id)
  // Two accounts selling in the same marketplace each get their own location.
  const name = all.some((l) => l.name === base) ? `${base} – ${input.account_name}` : base
  return new StepResponse<FoundFbaLocation>({ location_id: null, create: { name, country: fbaLocationCountry(input.marketplace_id) ?? null } })
})

/**
 * Refuses a location that is also a merchant location, and tells whether it still needs its link to the
 * Amazon sales channel. Reads only.
 */
const checkFbaLocationStep = createStep(
  "amazon-check-fba-location",
  async (input: { location_id: string; sales_channel_id: string; marketplace_id: string; merchant_location_ids: string[] }, { container }) => {
    if (input.merchant_location_ids.includes(input.location_id)) {
      // Writing Amazon's snapshot there would overwrite the merchant's own stock.
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Stock location ${input.location_id} is both the FBA location of ${input.marketplace_id} and a merchant location (settings.stock_location_ids); refusing to sync FBA stock into it`
      )
    }
    const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "stock_location",
      fields: ["id", "sales_channels.id"],
      filters: { id: input.location_id },
    })
    const channels = ((data[0] as { sales_channels?: { id: string }[] } | undefined)?.sales_channels ?? []).map((c) => c?.id)
    return new StepResponse({ needs_link: !channels.includes(input.sales_channel_id) })
  }
)

/**
 * Remembers the location in settings.fba_location_ids when it is not the one there. No compensation: the
 * location stays (see ensureFbaLocationWorkflow), so the setting pointing at it stays right.
 */
const rememberFbaLocationStep = createStep(
  "amazon-remember-fba-location",
  async (input: { account_id: string; marketplace_id: string; configured_id: string | null; location_id: string; created_name: string | null }, { container }) => {
    if (input.created_name) {
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .info(`amazon fba_stock: created stock location "${input.created_name}" (${input.location_id}) for account=${input.account_id}`)
    }
    if (input.location_id !== input.configured_id) {
      await container.resolve<AmazonModuleService>(AMAZON_MODULE).setFbaLocationId(input.account_id, input.marketplace_id, input.location_id)
    }
    return new StepResponse(input.location_id)
  }
)

/**
 * The stock location that stands for Amazon's warehouses of one account + marketplace ("Amazon FBA (DE)"),
 * linked to the Amazon sales channel and remembered in settings.fba_location_ids. Created on demand with
 * Medusa's createStockLocationsWorkflow and linked with linkSalesChannelsToStockLocationWorkflow (both run
 * as steps); found again by its metadata if the setting was lost (self-healing).
 *
 * Never compensated, also when a workflow running this one as a step fails later: the location is durable
 * and idempotently found again by the next run; removing it would strand the levels already written there
 * and churn its id.
 *
 * @example
 * // inside a workflow's composition
 * const location = ensureFbaLocationWorkflow.runAsStep({
 *   input: { account_id, account_name, marketplace_id, location_id: null, sales_channel_id, merchant_location_ids: [] },
 * })
 */
export const ensureFbaLocationWorkflow = createWorkflow(ensureFbaLocationWorkflowId, (input: WorkflowData<EnsureFbaLocationStepInput>) => {
  const found = findFbaLocationStep(input)
  const created = when("amazon-fba-location-missing", { found }, ({ found }) => !found.location_id).then(() =>
    createStockLocationsWorkflow
      .runAsStep({
        input: transform({ input, found }, ({ input, found }) => {
          const { name, country } = found.create!
          return {
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
          }
        }),
      })
      .config({ noCompensation: true })
  )
  const locationId = transform({ found, created }, ({ found, created }) => {
    const id = found.location_id ?? created?.[0]?.id
    if (!id) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "the FBA location was not created")
    }
    return id
  })
  const check = checkFbaLocationStep(
    transform({ input, locationId }, ({ input, locationId }) => ({
      location_id: locationId,
      sales_channel_id: input.sales_channel_id,
      marketplace_id: input.marketplace_id,
      merchant_location_ids: input.merchant_location_ids,
    }))
  )
  when("amazon-fba-location-unlinked", { check }, ({ check }) => check.needs_link).then(() =>
    linkSalesChannelsToStockLocationWorkflow
      .runAsStep({ input: transform({ input, locationId }, ({ input, locationId }) => ({ id: locationId, add: [input.sales_channel_id] })) })
      .config({ noCompensation: true })
  )
  rememberFbaLocationStep(
    transform({ input, locationId, found }, ({ input, locationId, found }) => ({
      account_id: input.account_id,
      marketplace_id: input.marketplace_id,
      configured_id: input.location_id,
      location_id: locationId,
      created_name: found.create?.name ?? null,
    }))
  )
  const result = transform({ found, locationId, check }, ({ found, locationId, check }): EnsureFbaLocationStepOutput => ({
    location_id: locationId,
    created: !found.location_id,
    linked: check.needs_link,
  }))
  return new WorkflowResponse(result)
})

/**
 * ensureFbaLocationWorkflow as a step of another workflow (Medusa's runAsStep).
 *
 * @example
 * const location = ensureFbaLocationStep({ account_id, account_name, marketplace_id, location_id, sales_channel_id, merchant_location_ids })
 */
export function ensureFbaLocationStep(input: EnsureFbaLocationStepInput | WorkflowData<EnsureFbaLocationStepInput>) {
  return ensureFbaLocationWorkflow.runAsStep({ input: input as WorkflowData<EnsureFbaLocationStepInput> })
}
