/**
 * How one listing's quantity for Amazon comes about, step by step: which stock levels count, what the
 * rules do, which rule decided. Pure (data in, data out), and built only from the functions the stock
 * push itself calls (availableQuantity, mergeRules, applyQuantityRules), so the explanation cannot drift
 * from the number that is sent: `quantity` here is applyQuantityRules(availableQuantity(…), mergeRules(…)),
 * exactly as compute-listing-quantities.ts computes it.
 */
import type { QuantityRules } from "../../types/account-settings"
import {
  applyQuantityRules,
  availableQuantity,
  CountedLocations,
  DEFAULT_UNMANAGED_QUANTITY,
  LocationLevel,
  mergeRules,
  VariantStock,
} from "./available-quantity"

/** The order applyQuantityRules applies the rules in (documented there and on QuantityRulesSchema). */
export const QUANTITY_RULE_ORDER = ["buffer", "percentage", "max", "min"] as const satisfies readonly (keyof QuantityRules)[]

export interface ExplainedLevel {
  location_id: string
  stocked: number
  reserved: number
  counted: boolean
  /** fba = one of the plugin's FBA locations (Amazon's warehouse); not_selected = outside the account's stock_location_ids. */
  excluded_because: "fba" | "not_selected" | null
}

export interface ExplainedItem {
  required_quantity: number
  /** Sum over the counted levels of (stocked − reserved), never negative. */
  available: number
  levels: ExplainedLevel[]
}

export interface ExplainedRule {
  rule: (typeof QUANTITY_RULE_ORDER)[number]
  value: number
  source: "account" | "listing"
  /** The account's value this SKU's own rule replaces, when both are set. */
  overrides: number | null
  before: number
  after: number
  /** The last rule that changed the quantity. */
  decided: boolean
}

export interface QuantityExplanation {
  manage_inventory: boolean
  items: ExplainedItem[]
  /** Units (or whole kits) before the rules. */
  available: number
  rules: ExplainedRule[]
  /** What the push sends. */
  quantity: number
}

export interface ExplainQuantityInput {
  stock: VariantStock
  /** The account's stock_location_ids (null = every location but the excluded ones) and the FBA locations. */
  locations: CountedLocations
  /** The account's unmanaged_quantity (default DEFAULT_UNMANAGED_QUANTITY). */
  unmanaged_quantity?: number
  account_rules?: QuantityRules | null
  listing_rules?: QuantityRules | null
}

const num = (v: LocationLevel["stocked_quantity"]) => {
  const n = Number(v ?? 0)
  return Number.isFinite(n) ? n : 0
}

/**
 * Whether a location counts, asked of availableQuantity itself (its location test is private to it): one
 * unit at that location alone is available exactly when the location counts.
 */
function counts(locationId: string, locations: CountedLocations): boolean {
  const probe: VariantStock = {
    manage_inventory: true,
    inventory_items: [{ required_quantity: 1, location_levels: [{ location_id: locationId, stocked_quantity: 1, reserved_quantity: 0 }] }],
  }
  return availableQuantity(probe, locations) === 1
}

/** The chain for one listing: counted levels per inventory item, the base quantity, each rule, the result. */
export function explainListingQuantity(input: ExplainQuantityInput): QuantityExplanation {
  const { stock, locations } = input
  const items: ExplainedItem[] = stock.manage_inventory
    ? stock.inventory_items.map((item) => {
        const levels = item.location_levels.map((level): ExplainedLevel => {
          const counted = counts(level.location_id, locations)
          return {
            location_id: level.location_id,
            stocked: num(level.stocked_quantity),
            reserved: num(level.reserved_quantity),
            counted,
            excluded_because: counted ? null : locations.exclude?.includes(level.location_id) ? "fba" : "not_selected",
          }
        })
        const single: VariantStock = { manage_inventory: true, inventory_items: [{ required_quantity: 1, location_levels: item.location_levels }] }
        return { required_quantity: num(item.required_quantity) || 1, available: availableQuantity(single, locations), levels }
      })
    : []
  const available = availableQuantity(stock, locations, input.unmanaged_quantity ?? DEFAULT_UNMANAGED_QUANTITY)

  const merged = mergeRules(input.account_rules, input.listing_rules)
  const rules: ExplainedRule[] = []
  const applied: QuantityRules = {}
  let current = applyQuantityRules(available, applied)
  for (const rule of QUANTITY_RULE_ORDER) {
    const value = merged[rule]
    if (value === undefined) continue
    applied[rule] = value
    const after = applyQuantityRules(available, applied)
    const own = input.listing_rules?.[rule]
    const fromListing = own !== undefined && own !== null
    const accountValue = input.account_rules?.[rule] ?? null
    rules.push({
      rule,
      value,
      source: fromListing ? "listing" : "account",
      overrides: fromListing ? accountValue : null,
      before: current,
      after,
      decided: false,
    })
    current = after
  }
  const deciding = rules.reduce((last, r, i) => (r.after !== r.before ? i : last), -1)
  if (deciding >= 0) rules[deciding].decided = true
  return { manage_inventory: stock.manage_inventory, items, available, rules, quantity: applyQuantityRules(available, merged) }
}

const RULE_WORDS: Record<ExplainedRule["rule"], (v: number) => string> = {
  buffer: (v) => `− buffer ${v}`,
  percentage: (v) => `× ${v} %`,
  max: (v) => `max ${v}`,
  min: (v) => `min ${v}`,
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/**
 * The chain in one phrase: "12 in stock at 2 locations − buffer 2 → 10", "3 kits from 2 items → 3",
 * "100 (the variant does not manage inventory)". The rules that changed the quantity are named in the order
 * they apply (the last of them decided it); rules that changed nothing are left out.
 */
export function describeQuantityChain(e: QuantityExplanation): string {
  let text: string
  if (!e.manage_inventory) {
    text = `${e.available} (the variant does not manage inventory)`
  } else if (!e.items.length) {
    text = "0 (no inventory item)"
  } else if (e.items.length === 1 && e.items[0].required_quantity === 1) {
    const at = e.items[0].levels.filter((l) => l.counted).length
    text = `${e.available} in stock at ${plural(at, "location")}`
  } else {
    text = `${plural(e.available, "kit")} from ${plural(e.items.length, "item")}`
  }
  const effective = e.rules.filter((r) => r.after !== r.before)
  if (!effective.length) {
    return text
  }
  return `${text} ${effective.map((r) => RULE_WORDS[r.rule](r.value)).join(", ")} → ${e.quantity}`
}
