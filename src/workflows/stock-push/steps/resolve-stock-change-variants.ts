import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { listingLinksOfVariants, unique } from "../utils/stock-queries"
import { StockEventKind, stockEventRefs } from "../utils/stock-events"
import { chunk } from "../utils/stock-queries"

export const resolveStockChangeVariantsStepId = "amazon-resolve-stock-change-variants"

export interface StockChangeEvent {
  /** The Medusa event name, e.g. "inventory.inventory-level.updated". */
  name: string
  /** The event payload: `{ id }`, `{ id, order_id }`, `{ order_id, … }` (or a list of them). */
  data?: unknown
}

export interface ResolveStockChangeVariantsStepInput {
  events?: StockChangeEvent[]
  /** Variants known to be affected (callers that are not events), with `reason`. */
  variant_ids?: string[]
  reason?: string
}

export interface ResolveStockChangeVariantsStepOutput {
  /** Affected variants sold on Amazon (with a listing link, live or just dismissed), and why. */
  items: { variant_id: string; reason: string }[]
}

/** A record an event named (see stockEventRefs), with why it changed and when it was recorded. */
export interface StockChangeRef {
  kind: StockEventKind
  ref_id: string
  /** The event name, kept on the outbox row. */
  reason: string
  at?: Date
}

export interface ResolvedStockChange {
  variant_id: string
  reason: string
  /** The `at` of the first ref that led to this variant (undefined for `variant_ids`). */
  at?: Date
}

type Tag = { reason: string; at?: Date }

/** First tag wins per key: enough for the admin to see what triggered a push (refs come oldest first). */
function note(map: Map<string, Tag>, key: string | undefined | null, tag: Tag) {
  if (key && !map.has(key)) map.set(key, tag)
}

/**
 * Turns the records stock events name into the variants whose Amazon quantity may have changed, with a
 * handful of bulk queries however many refs there are (orders → items, reservations and levels →
 * inventory items → variants). Only variants with an Amazon listing are returned, so a large catalogue
 * does not fill the outbox with variants Amazon never sees. Shared by resolveStockChangeVariantsStep
 * (events passed in) and resolveStockEventsStep (events the subscriber recorded).
 */
export async function resolveStockChangeVariants(
  container: MedusaContainer,
  input: { refs?: StockChangeRef[]; variant_ids?: string[]; reason?: string }
): Promise<ResolvedStockChange[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const variants = new Map<string, Tag>()
  const byKind: Record<StockEventKind, Map<string, Tag>> = {
    order: new Map(),
    reservation: new Map(),
    inventory_level: new Map(),
    inventory_item: new Map(),
    variant: variants,
  }
  const { order: orders, reservation: reservations, inventory_level: levels, inventory_item: items } = byKind

  for (const id of input.variant_ids ?? []) {
    note(variants, id, { reason: input.reason ?? "manual" })
  }
  for (const ref of input.refs ?? []) {
    note(byKind[ref.kind], ref.ref_id, { reason: ref.reason, at: ref.at })
  }

  const inventory = container.resolve(Modules.INVENTORY)
  for (const ids of chunk([...orders.keys()])) {
    const { data } = await query.graph({ entity: "order", fields: ["id", "items.variant_id"], filters: { id: ids } })
    for (const order of data as { id: string; items?: { variant_id?: string | null }[] }[]) {
      for (const item of order.items ?? []) {
        note(variants, item?.variant_id, orders.get(order.id)!)
      }
    }
  }
  for (const ids of chunk([...reservations.keys()])) {
    // A deleted reservation is soft-deleted: read it anyway to learn which item got stock back.
    const rows = await inventory.listReservationItems({ id: ids }, { select: ["id", "inventory_item_id"], withDeleted: true })
    rows.forEach((r) => note(items, r.inventory_item_id, reservations.get(r.id)!))
  }
  for (const ids of chunk([...levels.keys()])) {
    const rows = await inventory.listInventoryLevels({ id: ids }, { select: ["id", "inventory_item_id"], withDeleted: true })
    rows.forEach((l) => note(items, l.inventory_item_id, levels.get(l.id)!))
  }
  for (const ids of chunk([...items.keys()])) {
    // Deleted links count: when an inventory item goes, its variants lose that stock.
    const { data } = await query.graph({
      entity: "product_variant_inventory_item",
      fields: ["variant_id", "inventory_item_id"],
      filters: { inventory_item_id: ids },
      withDeleted: true,
    })
    for (const row of data as { variant_id: string; inventory_item_id: string }[]) {
      note(variants, row.variant_id, items.get(row.inventory_item_id)!)
    }
  }

  const candidates = unique(variants.keys())
  if (!candidates.length) {
    return []
  }
  // Dismissed links count too: a deleted variant must still push 0 to the listing it used to sell.
  const links = await listingLinksOfVariants(query, candidates, true)
  const sold = new Set(links.map((l) => l.product_variant_id))
  return candidates.filter((id) => sold.has(id)).map((variant_id) => ({ variant_id, ...variants.get(variant_id)! }))
}

/**
 * Turns stock-related events (passed in, not recorded) and known variants into the variants whose Amazon
 * quantity may have changed; the lookups are resolveStockChangeVariants'. The subscriber no longer runs
 * this (it records events for resolveStockEventsStep); callers with events or variants in hand still can.
 *
 * @example
 * const { items } = resolveStockChangeVariantsStep({ events: [{ name: "order.placed", data: { id: "order_1" } }] })
 */
export const resolveStockChangeVariantsStep = createStep(
  resolveStockChangeVariantsStepId,
  async (input: ResolveStockChangeVariantsStepInput, { container }) => {
    const refs = (input.events ?? []).flatMap((e) => stockEventRefs(e.name, e.data).map((r) => ({ ...r, reason: e.name })))
    const resolved = await resolveStockChangeVariants(container, { refs, variant_ids: input.variant_ids, reason: input.reason })
    return new StepResponse<ResolveStockChangeVariantsStepOutput>({
      items: resolved.map((r) => ({ variant_id: r.variant_id, reason: r.reason })),
    })
  }
)
