import type { IRegionModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, createRegionsWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"
import { randomUUID } from "node:crypto"
import { MARKETPLACES } from "../../../lib/amazon/endpoints"

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

export interface EnsureAmazonOrderRegionsWorkflowInput {
  /** One entry per order (or per marketplace + currency of a batch); the answer keeps their order. */
  targets: EnsureAmazonOrderRegionStepInput[]
}

export interface EnsureAmazonOrderRegionsWorkflowOutput {
  regions: EnsureAmazonOrderRegionStepOutput[]
}

/** How long a find-or-create waits for another one of the same currency (seconds). */
const REGION_LOCK_WAIT_SECONDS = 30

/** One find-or-create per currency at a time, across instances. */
function regionLockKey(currency: string): string {
  return `amazon:ensure-region:${currency}`
}

type ResolvedTarget = { configured: { id: string; currency_code: string } } | { currency: string }

interface ResolveAmazonOrderRegionsStepOutput {
  targets: ResolvedTarget[]
  /** The currencies to find or create (no configured region), each locked while that happens. */
  currencies: string[]
  lock_keys: string[]
  /** This run's lock owner, so a release never frees another run's lock. */
  owner_id: string
}

/**
 * Per target: the configured region (which must exist) or the currency to find a region in (the order's,
 * else the marketplace's default; it must be a 3-letter code). Reads only.
 */
const resolveAmazonOrderRegionsStep = createStep(
  "amazon-resolve-order-regions",
  async (input: EnsureAmazonOrderRegionsWorkflowInput, { container }) => {
    const regions = container.resolve<IRegionModuleService>(Modules.REGION)
    const configuredIds = [...new Set(input.targets.map((t) => t.region_id).filter((id): id is string => !!id))]
    const configured = configuredIds.length ? await regions.listRegions({ id: configuredIds }, { select: ["id", "currency_code"] }) : []
    const byId = new Map(configured.map((r) => [r.id, r]))
    const targets = input.targets.map((t): ResolvedTarget => {
      if (t.region_id) {
        const region = byId.get(t.region_id)
        if (!region) {
          throw new MedusaError(
            MedusaError.Types.NOT_FOUND,
            `settings.region_ids.${t.marketplace_id} points to region ${t.region_id}, which does not exist`
          )
        }
        return { configured: { id: region.id, currency_code: region.currency_code } }
      }
      const currency = (t.currency_code ?? MARKETPLACES[t.marketplace_id]?.currency ?? "").toLowerCase()
      if (!/^[a-z]{3}$/.test(currency)) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `no currency is known for marketplace ${t.marketplace_id}`)
      }
      return { currency }
    })
    const currencies = [...new Set(targets.flatMap((t) => ("currency" in t ? [t.currency] : [])))].sort()
    return new StepResponse<ResolveAmazonOrderRegionsStepOutput>({
      targets,
      currencies,
      lock_keys: currencies.map(regionLockKey),
      owner_id: `amazon:${randomUUID()}`,
    })
  }
)

/**
 * A region per currency: one the plugin created first, then the oldest other. Runs under the currencies'
 * locks, so what it reports missing is created once.
 */
const findAmazonOrderRegionsStep = createStep(
  "amazon-find-order-regions",
  async (input: { currencies: string[] }, { container }) => {
    const found: Record<string, { id: string; currency_code: string }> = {}
    if (input.currencies.length) {
      const regions = await container
        .resolve<IRegionModuleService>(Modules.REGION)
        .listRegions({ currency_code: { $in: input.currencies } }, { order: { created_at: "ASC" } })
      for (const currency of input.currencies) {
        const candidates = regions.filter((r) => r.currency_code === currency)
        const region = candidates.find((r) => r.metadata?.amazon_plugin === true) ?? candidates[0]
        if (region) {
          found[currency] = { id: region.id, currency_code: region.currency_code }
        }
      }
    }
    return new StepResponse({ found, missing: input.currencies.filter((c) => !found[c]) })
  }
)

/**
 * The regions of imported Amazon orders: per target the account's configured region for the marketplace,
 * else a region in the order's currency (one the plugin created first, then the oldest other), else a new
 * "Amazon <currency>" region made with Medusa's createRegionsWorkflow.
 *
 * A created region has no countries (a country belongs to one region only, and the store's own regions
 * may own them already) and no automatic taxes: Amazon computed the tax, the import sets it as given.
 * Find-or-create runs under a lock per currency (waiting up to 30 s), so two imports cannot create two
 * regions. The creation is never compensated, also when the workflow running this one as a step fails
 * later: the region is a shared, durable resource the next import finds again (and other orders may
 * already use it).
 *
 * @example
 * // inside a workflow's composition (see apply-amazon-order-batch.ts)
 * const ensured = ensureAmazonOrderRegionsWorkflow.runAsStep({
 *   input: { targets: [{ marketplace_id: "A1PA6795UKMFR9", currency_code: "EUR" }] },
 * })
 * // ensured.regions[0]: { id, currency_code: "eur", created }
 */
export const ensureAmazonOrderRegionsWorkflow = createWorkflow(
  "amazon-ensure-order-regions",
  (input: WorkflowData<EnsureAmazonOrderRegionsWorkflowInput>) => {
    const resolved = resolveAmazonOrderRegionsStep(input)
    // No keys (every target configured): the lock steps do nothing.
    acquireLockStep({
      key: resolved.lock_keys,
      ownerId: resolved.owner_id,
      timeout: REGION_LOCK_WAIT_SECONDS,
      executeOnSubWorkflow: true,
    })
    const existing = findAmazonOrderRegionsStep({ currencies: resolved.currencies })
    const created = when("amazon-order-regions-missing", { existing }, ({ existing }) => existing.missing.length > 0).then(() =>
      createRegionsWorkflow
        .runAsStep({
          input: transform({ existing }, ({ existing }) => ({
            regions: existing.missing.map((currency) => ({
              name: `Amazon ${currency.toUpperCase()}`,
              currency_code: currency,
              automatic_taxes: false,
              metadata: { amazon_plugin: true },
            })),
          })),
        })
        .config({ noCompensation: true })
    )
    releaseLockStep({ key: resolved.lock_keys, ownerId: resolved.owner_id, executeOnSubWorkflow: true })
    const result = transform({ resolved, existing, created }, ({ resolved, existing, created }): EnsureAmazonOrderRegionsWorkflowOutput => {
      const made = new Map((created ?? []).map((r) => [r.currency_code, r]))
      return {
        regions: resolved.targets.map((t) => {
          if ("configured" in t) {
            return { ...t.configured, created: false }
          }
          const found = existing.found[t.currency]
          if (found) {
            return { ...found, created: false }
          }
          const region = made.get(t.currency)
          if (!region) {
            throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `no region was created for currency ${t.currency}`)
          }
          return { id: region.id, currency_code: region.currency_code, created: true }
        }),
      }
    })
    return new WorkflowResponse(result)
  }
)

/**
 * The region of one imported Amazon order (see ensureAmazonOrderRegionsWorkflow), for a workflow's
 * composition: runs that workflow as a step (Medusa's runAsStep), never compensated.
 *
 * @example
 * const region = ensureAmazonOrderRegionStep({ marketplace_id: "A1PA6795UKMFR9", currency_code: "EUR" })
 */
export function ensureAmazonOrderRegionStep(input: WorkflowData<EnsureAmazonOrderRegionStepInput>): WorkflowData<EnsureAmazonOrderRegionStepOutput> {
  const ensured = ensureAmazonOrderRegionsWorkflow
    .runAsStep({ input: transform({ input }, ({ input }) => ({ targets: [input] })) })
    .config({ noCompensation: true })
  return transform({ ensured }, ({ ensured }) => ensured.regions[0])
}
