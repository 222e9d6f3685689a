import type { IInventoryService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { computeFbaLevelTargets, FbaContribution, FbaSkuMapping, planFbaLevelChanges } from "../../../lib/amazon/fba/levels"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { chunked } from "../constants"

export const planFbaLevelsStepId = "amazon-plan-fba-levels"

export interface PlanFbaLevelsStepInput {
  account_id: string
  marketplace_id: string
  /** The FBA location: the only location this step ever writes to. */
  location_id: string
  mappings: Record<string, FbaSkuMapping>
  /** Full scan: every other level at the FBA location goes to 0. */
  full: boolean
}

/** One level to write at the FBA location (batchInventoryItemLevelsWorkflow's create / update shape). */
export interface FbaLevelWrite {
  inventory_item_id: string
  location_id: string
  stocked_quantity: number
}

export interface PlanFbaLevelsStepOutput {
  location_id: string
  /** Levels missing at the FBA location. */
  create: FbaLevelWrite[]
  /** Levels whose stocked quantity differs from the target. */
  update: FbaLevelWrite[]
  unchanged: number
  /** Inventory items whose target is unknown (a contributing SKU without quantities): left as they are. */
  skipped_unknown: number
}

type VariantGraphRow = {
  id: string
  manage_inventory?: boolean | null
  amazon_listings?: ({ seller_sku: string; marketplace_id: string; fulfillment_channel: string; account_id?: string } | null)[] | null
  inventory_items?: ({ inventory_item_id: string; required_quantity?: number | string | null } | null)[] | null
}

/**
 * Plans the stocked quantities at the FBA location: Amazon's fulfillable quantity (a snapshot, not a delta,
 * so a repeated pass is harmless), and the missing levels to create. runFbaStockSync writes the plan
 * through Medusa's batchInventoryItemLevelsWorkflow in chunks, so inventory-level events fire as for any
 * other stock change.
 *
 * Targets are computed from the stored snapshots of every Amazon-fulfilled SKU that contains a touched
 * inventory item, not only the SKUs of this pass: with two FBA SKUs on one variant (or kits), an
 * incremental pass that reports one of them must not erase the other's stock.
 *
 * Writes nothing, so no compensation.
 *
 * @example
 * const plan = planFbaLevelsStep({ account_id, marketplace_id, location_id, mappings, full: false })
 */
export const planFbaLevelsStep = createStep(
  planFbaLevelsStepId,
  async (input: PlanFbaLevelsStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)

    const touched = [
      ...new Set(
        Object.values(input.mappings)
          .filter((m) => m.issue === null)
          .flatMap((m) => m.items.map((i) => i.inventory_item_id))
      ),
    ]
    const empty: PlanFbaLevelsStepOutput = { location_id: input.location_id, create: [], update: [], unchanged: 0, skipped_unknown: 0 }
    if (!touched.length && !input.full) {
      return new StepResponse(empty)
    }

    // Every variant using a touched item, then every AMAZON listing of those variants in this marketplace.
    const variantIds = new Set<string>()
    for (const ids of chunked(touched)) {
      const { data } = await query.graph({
        entity: "product_variant_inventory_item",
        fields: ["variant_id"],
        filters: { inventory_item_id: ids },
      })
      for (const row of data as { variant_id: string }[]) {
        variantIds.add(row.variant_id)
      }
    }
    const touchedSet = new Set(touched)
    const contributions: FbaContribution[] = []
    for (const ids of chunked([...variantIds])) {
      const { data } = await query.graph({
        entity: "product_variant",
        fields: [
          "id",
          "manage_inventory",
          "amazon_listings.seller_sku",
          "amazon_listings.marketplace_id",
          "amazon_listings.fulfillment_channel",
          "amazon_listings.account_id",
          "inventory_items.inventory_item_id",
          "inventory_items.required_quantity",
        ],
        filters: { id: ids },
      })
      for (const v of data as VariantGraphRow[]) {
        if (v.manage_inventory === false) {
          continue
        }
        const skus = (v.amazon_listings ?? [])
          .filter(
            (l): l is NonNullable<typeof l> =>
              !!l &&
              l.fulfillment_channel === "AMAZON" &&
              l.marketplace_id === input.marketplace_id &&
              (l.account_id === undefined || l.account_id === input.account_id)
          )
          .map((l) => l.seller_sku)
        for (const item of v.inventory_items ?? []) {
          if (!item?.inventory_item_id || !touchedSet.has(item.inventory_item_id)) {
            continue
          }
          for (const sku of skus) {
            contributions.push({
              seller_sku: sku,
              inventory_item_id: item.inventory_item_id,
              required_quantity: Number(item.required_quantity ?? 1),
            })
          }
        }
      }
    }

    const fulfillable = new Map<string, number | null>()
    for (const skus of chunked([...new Set(contributions.map((c) => c.seller_sku))])) {
      const rows = await amazon.listAmazonFbaStocks(
        { account_id: input.account_id, marketplace_id: input.marketplace_id, seller_sku: skus },
        { select: ["seller_sku", "fulfillable"] }
      )
      for (const r of rows) {
        fulfillable.set(r.seller_sku, r.fulfillable)
      }
    }
    const { targets, unknown } = computeFbaLevelTargets(contributions, fulfillable)

    const existing = input.full
      ? await inventory.listInventoryLevels({ location_id: input.location_id }, { select: ["id", "inventory_item_id", "stocked_quantity"] })
      : (
          await Promise.all(
            chunked(touched).map((ids) =>
              inventory.listInventoryLevels(
                { location_id: input.location_id, inventory_item_id: ids },
                { select: ["id", "inventory_item_id", "stocked_quantity"] }
              )
            )
          )
        ).flat()

    const plan = planFbaLevelChanges(
      targets,
      existing.map((l) => ({ inventory_item_id: l.inventory_item_id, stocked_quantity: Number(l.stocked_quantity) })),
      { zeroOthers: input.full, keep: unknown }
    )

    const at = (rows: { inventory_item_id: string; stocked_quantity: number }[]): FbaLevelWrite[] =>
      rows.map((r) => ({ inventory_item_id: r.inventory_item_id, location_id: input.location_id, stocked_quantity: r.stocked_quantity }))
    return new StepResponse<PlanFbaLevelsStepOutput>({
      ...empty,
      create: at(plan.create),
      update: at(plan.update),
      unchanged: plan.unchanged,
      skipped_unknown: unknown.size,
    })
  }
)
