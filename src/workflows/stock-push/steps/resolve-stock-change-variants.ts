import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { listingLinksOfVariants, unique } from "../utils/stock-queries"
import { stockEventKind } from "../utils/stock-events"
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

function payloads(data: unknown): Record<string, unknown>[] {
  const list = Array.isArray(data) ? data : data ? [data] : []
  return list.filter((d): d is Record<string, unknown> => typeof d === "object" && d !== null)
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined
}

/** First reason wins per key: enough for the admin to see what triggered a push. */
function note(map: Map<string, string>, key: string | undefined, reason: string) {
  if (key && !map.has(key)) map.set(key, reason)
}

/**
 * Turns stock-related events into the variants whose Amazon quantity may have changed, with a handful of
 * bulk queries per batch of events (orders → items, reservations and levels → inventory items → variants).
 * Only variants with an Amazon listing are returned, so a large catalogue does not fill the outbox with
 * variants Amazon never sees.
 *
 * @example
 * const { items } = resolveStockChangeVariantsStep({ events: [{ name: "order.placed", data: { id: "order_1" } }] })
 */
export const resolveStockChangeVariantsStep = createStep(
  resolveStockChangeVariantsStepId,
  async (input: ResolveStockChangeVariantsStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const variants = new Map<string, string>()
    const orders = new Map<string, string>()
    const reservations = new Map<string, string>()
    const levels = new Map<string, string>()
    const items = new Map<string, string>()

    for (const id of input.variant_ids ?? []) {
      note(variants, id, input.reason ?? "manual")
    }
    for (const event of input.events ?? []) {
      const kind = stockEventKind(event.name)
      for (const d of payloads(event.data)) {
        if (kind === "order") {
          note(orders, str(d.order_id) ?? (event.name.startsWith("order.") ? str(d.id) : undefined), event.name)
        } else if (kind === "reservation") {
          note(reservations, str(d.id), event.name)
        } else if (kind === "inventory_level") {
          note(levels, str(d.id), event.name)
        } else if (kind === "inventory_item") {
          note(items, str(d.id), event.name)
        } else if (kind === "variant") {
          note(variants, str(d.id), event.name)
        }
      }
    }

    const inventory = container.resolve(Modules.INVENTORY)
    for (const ids of chunk([...orders.keys()])) {
      const { data } = await query.graph({ entity: "order", fields: ["id", "items.variant_id"], filters: { id: ids } })
      for (const order of data as { id: string; items?: { variant_id?: string | null }[] }[]) {
        for (const item of order.items ?? []) {
          note(variants, item?.variant_id ?? undefined, orders.get(order.id)!)
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
      return new StepResponse<ResolveStockChangeVariantsStepOutput>({ items: [] })
    }
    // Dismissed links count too: a deleted variant must still push 0 to the listing it used to sell.
    const links = await listingLinksOfVariants(query, candidates, true)
    const sold = new Set(links.map((l) => l.product_variant_id))
    return new StepResponse<ResolveStockChangeVariantsStepOutput>({
      items: candidates.filter((id) => sold.has(id)).map((variant_id) => ({ variant_id, reason: variants.get(variant_id)! })),
    })
  }
)
