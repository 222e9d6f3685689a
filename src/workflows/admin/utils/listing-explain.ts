import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { describeQuantityChain, explainListingQuantity, QuantityExplanation } from "../../../lib/stock/explain-quantity"
import { DEFAULT_UNMANAGED_QUANTITY } from "../../../lib/stock/available-quantity"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { AccountSettings, QuantityRulesSchema, readAccountSettings } from "../../../types/account-settings"
import type { AdminAmazonListingExplain, AmazonQuantityExplainState } from "../../../types/http"
import { Sql, stockOfVariants } from "../../shared/medusa-tables"
import { fbaLocationsOfAllAccounts } from "./account-listings"
import { nextJobRun, STOCK_PUSH_JOB } from "./next-run"

/** The reconcile job (src/jobs/amazon-reconcile-stock.ts): it re-queues every SKU whose quantity differs. */
const RECONCILE_JOB = "amazon-reconcile-stock"

/** The listing as GET /admin/amazon/listings/:id reads it (its push state and linked variant). */
export type ExplainedListing = {
  id: string
  account_id: string
  marketplace_id: string
  seller_sku: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  rules: unknown
  push_status: AdminAmazonListingExplain["amazon"]["push_status"]
  last_accepted_quantity: number | null
  last_accepted_at: Date | string | null
  last_sent_quantity: number | null
  last_sent_at: Date | string | null
  pending_feed_id: string | null
  last_error_code: string | null
  last_error: string | null
  next_retry_at: Date | string | null
  amazon_quantity?: number | null
  amazon_quantity_at?: Date | string | null
  amazon_quantity_source?: "listing" | "report" | "notification" | null
  confirm_status?: "waiting" | "confirmed" | "mismatch" | "not_applied" | null
  product_variant?: { id: string } | null
}

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null)

/** "40 s", "12 min", "3 h", "2 d": a rough span for a one-line summary (the admin shows exact times). */
export function roughSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 90) return `${s} s`
  const m = Math.round(s / 60)
  if (m < 90) return `${m} min`
  const h = Math.round(m / 60)
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`
}

const NOT_COMPUTED: Record<Exclude<AmazonQuantityExplainState, "computed">, string> = {
  fba: "Amazon-fulfilled (FBA): Amazon owns this quantity, the store never pushes it",
  unlinked: "Not linked to a live variant: nothing is pushed for this SKU",
  account_disabled: "The account is disabled: nothing is pushed",
  invalid_settings: "Push paused: the account's settings are invalid",
  invalid_rules: "Not pushed: this SKU's quantity rules are invalid",
}

export interface ExplainSummaryInput {
  state: AmazonQuantityExplainState
  chain: QuantityExplanation | null
  amazon: AdminAmazonListingExplain["amazon"]
  queued: boolean
  in_feed: boolean
  /** Store changes recorded but not yet sorted to variants (the next push does that first). */
  changes_waiting: boolean
  next_retry_at: string | null
  next_push_at: string | null
  next_reconcile_at: string | null
  now: Date
}

/**
 * The one-line explanation: the chain, what Amazon shows, what happens next, e.g.
 * "12 in stock at 2 locations − buffer 2 → 10; Amazon accepted 14 (3 min ago); queued, next push in ~40 s".
 */
export function explainSummary(i: ExplainSummaryInput): string {
  const until = (at: string | null) => (at ? `in ~${roughSpan(Date.parse(at) - i.now.getTime())}` : "at its next run")
  // what Amazon shows of an FBA listing is Amazon's own count, not a push of ours
  if (i.state === "fba") return NOT_COMPUTED.fba
  const parts = [i.state === "computed" && i.chain ? describeQuantityChain(i.chain) : NOT_COMPUTED[i.state as Exclude<AmazonQuantityExplainState, "computed">]]
  const a = i.amazon
  const since = (at: string | null) => (at ? ` ${roughSpan(i.now.getTime() - Date.parse(at))} ago` : "")
  let shown =
    a.last_accepted_quantity !== null
      ? `Amazon accepted ${a.last_accepted_quantity}${a.last_accepted_at ? ` (${since(a.last_accepted_at).trim()})` : ""}`
      : "Amazon has accepted no quantity from us yet"
  // what Amazon showed when the plugin last looked (read-back of the listing, or the daily listings report)
  if (a.shown_quantity !== null && a.shown_at) {
    const how = a.shown_source === "report" ? "in its listings report" : "when read back"
    shown +=
      a.confirm_status === "confirmed"
        ? `, confirmed: Amazon showed ${a.shown_quantity} ${how}${since(a.shown_at)}`
        : `; Amazon showed ${a.shown_quantity} ${how}${since(a.shown_at)}`
  }
  if (a.confirm_status === "waiting") {
    shown += "; reading back what Amazon shows"
  } else if (a.confirm_status === "not_applied") {
    shown += "; Amazon did not apply it, also when sent again (see Seller Central)"
  }
  if (i.in_feed && a.last_sent_quantity !== null) {
    shown += `; ${a.last_sent_quantity} is in a feed Amazon is processing`
  } else if (a.push_status === "error") {
    shown += `; the last push was rejected${a.last_error_code ? ` (${a.last_error_code})` : ""}`
  }
  parts.push(shown)
  if (i.state === "computed" && i.chain) {
    const q = i.chain.quantity
    if (i.queued) {
      parts.push(`queued, next push ${until(i.next_push_at)}`)
    } else if (i.in_feed) {
      parts.push(a.last_sent_quantity === q ? "waiting for Amazon's report" : `${q} goes out with the next push ${until(i.next_push_at)}`)
    } else if (a.last_accepted_quantity === q) {
      parts.push("up to date")
    } else if (i.next_retry_at) {
      parts.push(`retried ${until(i.next_retry_at)}`)
    } else if (i.changes_waiting) {
      parts.push(`store changes wait for the next push ${until(i.next_push_at)}`)
    } else {
      parts.push(`not queued: the next reconcile ${until(i.next_reconcile_at)} sends it`)
    }
  }
  return parts.join("; ")
}

/**
 * Everything the stock push would weigh for this listing right now, read the way the push reads it
 * (stockOfVariants, the account's settings, every account's FBA locations, the listing's own rules) and
 * computed by the push's own functions (lib/stock/explain-quantity.ts). Reads only.
 */
export async function explainListing(container: MedusaContainer, listing: ExplainedListing, now: Date = new Date()): Promise<AdminAmazonListingExplain> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
  const variantId = listing.product_variant?.id ?? null

  let state: AmazonQuantityExplainState = "computed"
  let problem: string | null = null
  let settings: AccountSettings = {}
  const account = await amazon.retrieveAmazonAccount(listing.account_id)
  try {
    settings = readAccountSettings(account.settings)
  } catch (e) {
    state = "invalid_settings"
    problem = (e as Error).message
  }
  const ownRules = listing.rules == null ? { success: true as const, data: null } : QuantityRulesSchema.nullable().safeParse(listing.rules)
  const stock = variantId ? (await stockOfVariants(sql, [variantId])).get(variantId) : undefined
  if (listing.fulfillment_channel !== "MERCHANT") {
    state = "fba"
  } else if (!stock) {
    state = "unlinked"
  } else if (!account.enabled) {
    state = "account_disabled"
  } else if (state === "computed" && !ownRules.success) {
    state = "invalid_rules"
    problem = ownRules.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")
  }

  let chain: QuantityExplanation | null = null
  const names = new Map<string, string>()
  if (state === "computed" && stock && ownRules.success) {
    const fba = await fbaLocationsOfAllAccounts(amazon)
    chain = explainListingQuantity({
      stock,
      locations: { include: settings.stock_location_ids ?? null, exclude: [...fba.keys()] },
      unmanaged_quantity: settings.unmanaged_quantity ?? DEFAULT_UNMANAGED_QUANTITY,
      account_rules: settings.rules ?? null,
      listing_rules: ownRules.data,
    })
    const locationIds = [...new Set(chain.items.flatMap((i) => i.levels.map((l) => l.location_id)))]
    if (locationIds.length) {
      const { data: locations } = await query.graph({ entity: "stock_location", fields: ["id", "name"], filters: { id: locationIds } })
      for (const l of locations as { id: string; name: string }[]) names.set(l.id, l.name)
    }
  }

  const [outboxRow] = variantId ? await amazon.listAmazonStockOutboxes({ variant_id: variantId }, { select: ["id"], take: 1 }) : []
  const [waitingEvent] = await amazon.listAmazonStockEvents({}, { select: ["id"], take: 1 })
  const amazonState: AdminAmazonListingExplain["amazon"] = {
    last_accepted_quantity: listing.last_accepted_quantity,
    last_accepted_at: iso(listing.last_accepted_at),
    last_sent_quantity: listing.last_sent_quantity,
    last_sent_at: iso(listing.last_sent_at),
    push_status: listing.push_status,
    last_error_code: listing.last_error_code,
    last_error: listing.last_error,
    shown_quantity: listing.amazon_quantity ?? null,
    shown_at: iso(listing.amazon_quantity_at),
    shown_source: listing.amazon_quantity_source ?? null,
    confirm_status: listing.confirm_status ?? null,
  }
  const out = {
    queued: Boolean(outboxRow),
    in_feed: Boolean(listing.pending_feed_id),
    next_retry_at: iso(listing.next_retry_at),
    next_push_at: nextJobRun(STOCK_PUSH_JOB, now),
  }
  return {
    listing_id: listing.id,
    seller_sku: listing.seller_sku,
    marketplace_id: listing.marketplace_id,
    fulfillment_channel: listing.fulfillment_channel,
    state,
    problem,
    variant_id: variantId,
    manage_inventory: stock ? stock.manage_inventory : null,
    inventory_items: (chain?.items ?? []).map((item) => ({
      required_quantity: item.required_quantity,
      available: item.available,
      locations: item.levels.map((l) => ({ ...l, name: names.get(l.location_id) ?? null })),
    })),
    available: chain?.available ?? null,
    rules: chain?.rules ?? [],
    quantity: chain?.quantity ?? null,
    amazon: amazonState,
    ...out,
    summary: explainSummary({
      state,
      chain,
      amazon: amazonState,
      ...out,
      changes_waiting: Boolean(waitingEvent),
      next_reconcile_at: nextJobRun(RECONCILE_JOB, now),
      now,
    }),
  }
}
