import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import {
  applyQuantityRules,
  availableQuantity,
  DEFAULT_UNMANAGED_QUANTITY,
  mergeRules,
  VariantStock,
} from "../../../lib/stock/available-quantity"
import type { PushCandidate } from "../../../lib/stock/push-plan"
import { AccountSettings, QuantityRulesSchema, readAccountSettings } from "../../../types/account-settings"
import type { StockOutboxRow } from "./read-stock-outbox"
import { fromColumns, toColumns } from "../utils/columns"
import type { Columns } from "../utils/columns"
import { listingsOfVariants, Sql, stockOfVariants } from "../../shared/medusa-tables"
import { listingLinksOfVariants, liveLinksOfListings, pushTo, unique } from "../utils/stock-queries"

export const computeListingQuantitiesStepId = "amazon-compute-listing-quantities"

export interface ComputeListingQuantitiesStepInput {
  rows: Columns<StockOutboxRow>
}

export interface StockPushAccount {
  id: string
  seller_id: string
  region: string
  settings: AccountSettings
}

export interface ComputedCandidate extends PushCandidate {
  variant_id: string
  /** The outbox reason ("order.placed", "reconcile", "retry" …). */
  reason: string
}

/** The fields of a candidate, in column order. */
export const CANDIDATE_FIELDS: readonly (keyof ComputedCandidate)[] = [
  "listing_id",
  "account_id",
  "marketplace_id",
  "seller_sku",
  "product_type",
  "quantity",
  "last_accepted_quantity",
  "last_sent_quantity",
  "push_status",
  "pending_feed_id",
  "urgent",
  "variant_id",
  "reason",
]

export interface ComputeListingQuantitiesStepOutput {
  accounts: StockPushAccount[]
  /** As columns (see utils/columns): fromColumns gives the ComputedCandidate objects. */
  candidates: Columns<ComputedCandidate>
  /** Variants whose listings could not be computed (an account with invalid settings): keep their rows. */
  deferred_variant_ids: string[]
}

type ListingRow = {
  id: string
  account_id: string
  marketplace_id: string
  seller_sku: string
  product_type: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  rules: unknown
  last_accepted_quantity: number | null
  last_sent_quantity: number | null
  push_status: PushCandidate["push_status"]
  pending_feed_id: string | null
}

/** A listing's own rules: most listings have none, so the parse is skipped for them. */
const LISTING_RULES = QuantityRulesSchema.nullable()
const NO_RULES = { success: true as const, data: null }

const LISTING_FIELDS = [
  "id",
  "account_id",
  "marketplace_id",
  "seller_sku",
  "product_type",
  "fulfillment_channel",
  "rules",
  "last_accepted_quantity",
  "last_sent_quantity",
  "push_status",
  "pending_feed_id",
] as const

/**
 * Tells the admin that an account's changes wait because its settings cannot be read: once an hour per
 * account, not on every one-minute run.
 */
async function reportBadAccounts(amazon: AmazonModuleService, bad: Map<string, string>, waiting: Set<string>) {
  const since = new Date(Date.now() - 3_600_000)
  for (const accountId of waiting) {
    const [recent] = await amazon.listAmazonSyncLogs(
      { account_id: accountId, code: "INVALID_SETTINGS", created_at: { $gte: since } },
      { select: ["id"], take: 1 }
    )
    if (recent) continue
    await amazon.recordSyncLog({
      account_id: accountId,
      stream: "stock_push",
      level: "error",
      code: "INVALID_SETTINGS",
      message: `Stock push paused for this account: its settings are invalid (${bad.get(accountId)}). Changes stay queued until they are fixed.`,
    })
  }
}

/**
 * The quantity each MERCHANT listing of the queued variants should show on Amazon, per account: counted
 * locations' (stocked − reserved), kits, unmanaged variants, then the quantity rules. The data comes from
 * two raw selects per 10,000 variants against the shared database (stockOfVariants, listingsOfVariants:
 * soft-deleted rows of every table left out), not a query.graph across four modules, which spent over
 * 30 s and most of the run's memory building ORM entities for a 100,000-SKU reconcile.
 * Amazon-fulfilled (FBA) listings are never candidates: Amazon owns that quantity.
 *
 * @example
 * const computed = computeListingQuantitiesStep({ rows })
 */
export const computeListingQuantitiesStep = createStep(
  computeListingQuantitiesStepId,
  async (input: ComputeListingQuantitiesStepInput, { container }) => {
    const empty: ComputeListingQuantitiesStepOutput = { accounts: [], candidates: toColumns([], CANDIDATE_FIELDS), deferred_variant_ids: [] }
    const rows = fromColumns(input.rows)
    if (!rows.length) {
      return new StepResponse(empty)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)

    const accounts = new Map<string, StockPushAccount>()
    const badAccounts = new Map<string, string>()
    // FBA locations of every account (enabled or not) hold stock in Amazon's warehouses: it never counts
    // as merchant stock, whichever account's quantity is being computed.
    const fbaLocations = new Set<string>()
    for (const account of await amazon.listAmazonAccounts({}, { take: 1000 })) {
      const ids = (account.settings as { fba_location_ids?: Record<string, unknown> } | null)?.fba_location_ids
      Object.values(ids ?? {}).forEach((id) => typeof id === "string" && fbaLocations.add(id))
      if (!account.enabled) {
        continue
      }
      try {
        accounts.set(account.id, {
          id: account.id,
          seller_id: account.seller_id,
          region: account.region,
          settings: readAccountSettings(account.settings),
        })
      } catch (e) {
        badAccounts.set(account.id, (e as Error).message)
      }
    }
    if (!accounts.size && !badAccounts.size) {
      return new StepResponse(empty)
    }

    const rowByVariant = new Map(rows.map((r) => [r.variant_id, r]))
    const variantIds = [...rowByVariant.keys()]
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    const stockByVariant = await stockOfVariants(sql, variantIds)
    const listingsByVariant = new Map<string, ListingRow[]>()
    for (const listing of await listingsOfVariants<ListingRow>(sql, variantIds, LISTING_FIELDS)) {
      if (!stockByVariant.has(listing.variant_id)) continue
      pushTo(listingsByVariant, listing.variant_id, listing)
    }

    // Deleted variants: their links are dismissed with them. Their listings sell nothing any more, so they
    // get 0 — unless the listing has meanwhile been mapped to another variant (a live link).
    const deletedVariantIds = variantIds.filter((id) => !stockByVariant.has(id))
    if (deletedVariantIds.length) {
      const links = await listingLinksOfVariants(query, deletedVariantIds, true)
      const gone = new Set(deletedVariantIds)
      const remapped = new Set(
        (await liveLinksOfListings(query, unique(links.map((l) => l.amazon_listing_id))))
          .filter((l) => !gone.has(l.product_variant_id))
          .map((l) => l.amazon_listing_id)
      )
      const orphanIds = unique(links.map((l) => l.amazon_listing_id)).filter((id) => !remapped.has(id))
      const orphans = orphanIds.length
        ? await amazon.listAmazonListings({ id: orphanIds }, { select: [...LISTING_FIELDS], take: orphanIds.length })
        : []
      const byId = new Map(orphans.map((l) => [l.id, l as unknown as ListingRow]))
      for (const link of links) {
        const listing = byId.get(link.amazon_listing_id)
        if (!listing) continue
        stockByVariant.set(link.product_variant_id, { manage_inventory: true, inventory_items: [] })
        pushTo(listingsByVariant, link.product_variant_id, listing)
      }
    }

    const excluded = [...fbaLocations]
    const candidates: ComputedCandidate[] = []
    const deferred = new Set<string>()
    const deferredAccounts = new Set<string>()
    for (const [variantId, listings] of listingsByVariant) {
      const stock = stockByVariant.get(variantId)!
      const row = rowByVariant.get(variantId)!
      for (const listing of listings) {
        if (badAccounts.has(listing.account_id)) {
          deferred.add(variantId)
          deferredAccounts.add(listing.account_id)
          continue
        }
        const account = accounts.get(listing.account_id)
        if (!account || listing.fulfillment_channel !== "MERCHANT") {
          continue
        }
        const { settings } = account
        const base = availableQuantity(
          stock,
          { include: settings.stock_location_ids ?? null, exclude: excluded },
          settings.unmanaged_quantity ?? DEFAULT_UNMANAGED_QUANTITY
        )
        const rules = listing.rules == null ? NO_RULES : LISTING_RULES.safeParse(listing.rules)
        if (!rules.success) {
          // Not guessed around: the admin set rules we cannot read, so this SKU waits for a fix (any later
          // change or the daily reconcile picks it up again).
          const message = `Quantity rules of this listing are invalid: ${rules.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`
          await amazon.updateAmazonListings({ id: listing.id, push_status: "error", last_error_code: "INVALID_RULES", last_error: message, next_retry_at: null })
          await amazon.recordSyncLog({
            account_id: listing.account_id,
            stream: "stock_push",
            level: "error",
            code: "INVALID_RULES",
            message: `SKU ${listing.seller_sku}: ${message}`,
            context: { sku: listing.seller_sku, listing_id: listing.id },
          })
          continue
        }
        const quantity = applyQuantityRules(base, mergeRules(settings.rules, rules.data))
        candidates.push({
          listing_id: listing.id,
          account_id: listing.account_id,
          marketplace_id: listing.marketplace_id,
          seller_sku: listing.seller_sku,
          product_type: listing.product_type,
          quantity,
          last_accepted_quantity: listing.last_accepted_quantity ?? null,
          last_sent_quantity: listing.last_sent_quantity ?? null,
          push_status: listing.push_status,
          pending_feed_id: listing.pending_feed_id ?? null,
          urgent: row.urgent,
          variant_id: variantId,
          reason: row.reason,
        })
      }
    }
    await reportBadAccounts(amazon, badAccounts, deferredAccounts)
    const used = new Set(candidates.map((c) => c.account_id))
    return new StepResponse<ComputeListingQuantitiesStepOutput>({
      accounts: [...accounts.values()].filter((a) => used.has(a.id)),
      candidates: toColumns(candidates, CANDIDATE_FIELDS),
      deferred_variant_ids: [...deferred],
    })
  }
)
