/**
 * The stock plan of one Amazon order version: what to reserve, release and decrement at the merchant's
 * locations so that the store's available quantity (stocked − reserved) is right after every status.
 *
 * - PENDING / UNSHIPPED: every unit not yet shipped is reserved (the store cannot sell it twice).
 * - PARTIALLY_SHIPPED / SHIPPED: newly shipped units leave stock (stocked − n) and their reservation
 *   (reserved − n), so availability does not move; a unit is only ever moved once, because the plan
 *   works on the difference to what `applied` says was already done.
 * - CANCELLED (by anyone, also after a buyer's request): the reservation is released.
 * - Amazon-fulfilled orders never touch the merchant's locations.
 *
 * Once the Medusa order exists (the item has a line item and the caller passes `fulfilled_in_medusa`),
 * shipped units become Medusa fulfillments (`fulfil`), and Medusa's fulfilled quantity is the truth:
 * - units Amazon shipped beyond what Medusa shows fulfilled are fulfilled now, either through Medusa's
 *   createOrderFulfillmentWorkflow (`via: "medusa"`: the plan keeps them reserved, the workflow consumes
 *   the reservation and decrements the level — the plugin moves no stock itself) or recorded by the
 *   import (`via: "record"`: the plan's own `adjust` moves the stock, as the batched import does, or
 *   nothing moves: Amazon-fulfilled, unmanaged);
 * - units fulfilled in the store (staff, Medusa's admin) are shipped already as far as stock goes: when
 *   Amazon reports them, nothing moves and nothing is recorded twice;
 * - every unit Medusa does not show fulfilled stays reserved until the order or the item is cancelled.
 *
 * Pure: the caller reads reservations, levels and fulfilled quantities, runs the operations with Medusa's
 * inventory and fulfillment flows, and stores `applied` (with the ids of the reservations created, see
 * fillReservationIds).
 */
import type { FulfillmentStatus, ParsedOrder } from "../parsers/parse-order"
import { isItemCancelled, orderPhase } from "./build-order-input"
import type { AppliedItem, AppliedReservation, AppliedState, ResolvedVariant } from "./types"

export interface StockPlanItem {
  order_item_id: string
  seller_sku: string
  quantity_ordered: number
  /** Amazon's quantityFulfilled; null when the response had no fulfillment data for the item. */
  quantity_shipped: number | null
  /** The item alone was cancelled (the order goes on). */
  cancelled: boolean
  variant: ResolvedVariant | null
  /** The Medusa line item, once the Medusa order exists. */
  line_item_id: string | null
  /**
   * Units Medusa shows fulfilled for the line item (every fulfillment: the store's and the import's).
   * Given once the Medusa order exists; then shipped units are planned as fulfillments (`fulfil`).
   */
  fulfilled_in_medusa?: number | null
  /**
   * The Medusa line item's quantity now, when known. Lower than Amazon's when staff removed units in an
   * order edit (their Amazon cancellation is on its way): the removed units are not reserved again, and if
   * Amazon ships them after all they leave stock without a Medusa fulfillment (the line has no room).
   */
  quantity_in_medusa?: number | null
  /**
   * Newly shipped units of this merchant-fulfilled item may go through Medusa's
   * createOrderFulfillmentWorkflow (which consumes the reservation); otherwise the import records them.
   */
  medusa_fulfilment?: boolean
}

/** What a stock plan reads of an Amazon order line, before its variant and Medusa line item are known. */
export type StockPlanLine = Omit<StockPlanItem, "variant" | "line_item_id">

/** The lines of a parsed Amazon order as the stock plan reads them. */
export function stockPlanLines(order: Pick<ParsedOrder, "items">): StockPlanLine[] {
  return order.items.map((item) => ({
    order_item_id: item.orderItemId,
    seller_sku: item.sku,
    quantity_ordered: item.quantityOrdered,
    quantity_shipped: item.quantityShipped,
    cancelled: isItemCancelled(item),
  }))
}

export interface CurrentReservation {
  id: string
  inventory_item_id: string
  location_id: string
  quantity: number
  line_item_id: string | null
}

export interface StockPlanInput {
  amazon_order_id: string
  status: FulfillmentStatus
  fulfilled_by: "MERCHANT" | "AMAZON"
  items: StockPlanItem[]
  applied: AppliedState
  /** The reservations `applied` refers to, as they are now; an id missing here was deleted. */
  reservations: Record<string, CurrentReservation>
  /** Merchant locations that count for Amazon, in order of preference. */
  location_ids: string[]
  /**
   * The Medusa order was cancelled in the store: reservations that vanished were released by that
   * cancellation, not consumed by a store fulfillment.
   */
  order_canceled_in_store?: boolean
  /**
   * A back-import of older orders: units Amazon reports shipped in the first version the store applies
   * left the merchant's shelves before the store's stock was counted, so they are recorded (and shown
   * fulfilled) but never decremented. Units still to ship are reserved as usual; later versions move
   * stock as always. Ignored once the order has a record (`applied` holds items).
   */
  historic?: boolean
}

export interface PlannedReservation {
  order_item_id: string
  inventory_item_id: string
  location_id: string
  quantity: number
  line_item_id?: string
  /** Amazon already sold the units; a short store must show negative availability, not refuse. */
  allow_backorder: true
  description: string
  external_id: string
  metadata: { amazon_order_id: string; amazon_order_item_id: string }
}

/** Units of one line item to show as fulfilled (and shipped) in Medusa. */
export interface PlannedFulfilment {
  order_item_id: string
  line_item_id: string
  quantity: number
  /**
   * medusa: through createOrderFulfillmentWorkflow, which consumes the reservation the plan kept for the
   * units and decrements the level. record: the import records the fulfillment and moves no stock through
   * it — this plan's `adjust` did (`stock_moved`), or there is none to move (Amazon-fulfilled, unmanaged,
   * or units a record written before fulfillments were recorded had already decremented).
   */
  via: "medusa" | "record"
  /** The plan decremented the units' stock itself (`adjust`). */
  stock_moved: boolean
  /** The merchant location the units left from; null when no merchant stock is involved. */
  location_id: string | null
  /** The inventory items of the variant (a kit has several), for the fulfillment's items. */
  inventory: { inventory_item_id: string; required_quantity: number }[]
}

export interface StockWarning {
  code: "NO_STOCK_LOCATION"
  order_item_id: string
  seller_sku: string
  message: string
}

export interface StockPlan {
  create: PlannedReservation[]
  update: { id: string; quantity: number }[]
  delete: string[]
  adjust: { inventory_item_id: string; location_id: string; adjustment: number }[]
  /** Shipped units to show as fulfilled in Medusa (only for items whose Medusa order exists). */
  fulfil: PlannedFulfilment[]
  /** The next `applied`; reservations still to be created carry an empty id until fillReservationIds. */
  applied: AppliedState
  /** Variants whose available quantity changed: the stock push must look at them. */
  variant_ids: string[]
  warnings: StockWarning[]
}

function freshItem(item: StockPlanItem): AppliedItem {
  return {
    order_item_id: item.order_item_id,
    seller_sku: item.seller_sku,
    variant_id: item.variant?.variant_id ?? null,
    line_item_id: null,
    location_id: null,
    reserved: 0,
    shipped: 0,
    fulfilled: 0,
    external: 0,
    released: 0,
    reservations: [],
  }
}

/**
 * The first location where every inventory item of the variant has a level with enough available for
 * `needed` units; else the first where every inventory item at least has a level; else null.
 */
export function chooseLocation(variant: ResolvedVariant, locationIds: string[], needed: number): string | null {
  const levelAt = (inv: ResolvedVariant["inventory"][number], loc: string) => inv.levels.find((l) => l.location_id === loc)
  const stocked = locationIds.filter((loc) => variant.inventory.every((inv) => levelAt(inv, loc)))
  const fits = stocked.find((loc) =>
    variant.inventory.every((inv) => (levelAt(inv, loc)?.available ?? 0) >= needed * inv.required_quantity)
  )
  return fits ?? stocked[0] ?? null
}

/**
 * The merchant location a new order's shipping method (its shipping option) points at: where its first
 * stock-managed item will be reserved (chooseLocation), else the first counted location. Medusa's admin
 * proposes that location when staff fulfil the order.
 */
export function shippingLocationOf(
  items: readonly { seller_sku: string; quantity_ordered: number }[],
  variants: Record<string, ResolvedVariant>,
  locationIds: string[]
): string | null {
  for (const item of items) {
    const variant = variants[item.seller_sku]
    if (variant?.manage_inventory && variant.inventory.length) {
      const location = chooseLocation(variant, locationIds, item.quantity_ordered)
      if (location) {
        return location
      }
    }
  }
  return locationIds[0] ?? null
}

export function planStockChanges(input: StockPlanInput): StockPlan {
  const plan: StockPlan = {
    create: [],
    update: [],
    delete: [],
    adjust: [],
    fulfil: [],
    applied: { version: 1, items: {}, ...(input.applied.packages ? { packages: input.applied.packages } : {}) },
    variant_ids: [],
    warnings: [],
  }
  const phase = orderPhase(input.status)
  const merchant = input.fulfilled_by === "MERCHANT"
  const affected = new Set<string>()
  const historic = !!input.historic && Object.keys(input.applied.items).length === 0

  for (const item of input.items) {
    if (item.line_item_id && typeof item.fulfilled_in_medusa === "number") {
      planWithMedusaOrder(input, item, plan, affected, historic)
      continue
    }
    const prev = input.applied.items[item.order_item_id] ?? freshItem(item)
    const next: AppliedItem = {
      ...prev,
      seller_sku: item.seller_sku,
      variant_id: item.variant?.variant_id ?? prev.variant_id,
      line_item_id: item.line_item_id ?? prev.line_item_id,
      reservations: [],
    }
    const ordered = item.quantity_ordered

    // What our reservations really hold now. Units that vanished without us were either fulfilled in the
    // store (stock already decremented: remember them so Amazon's shipment does not decrement again) or
    // released by a store-side cancellation.
    const held = prev.reservations.map((r) => ({ r, current: input.reservations[r.id] }))
    const actualUnits = held.length
      ? Math.min(...held.map(({ r, current }) => Math.floor((current?.quantity ?? 0) / (r.required_quantity || 1))))
      : 0
    const vanished = Math.max(0, prev.reserved - actualUnits)
    let external = prev.external + (input.order_canceled_in_store ? 0 : vanished)
    const reservedNow = Math.min(prev.reserved, actualUnits)

    const reportedShipped = input.status === "SHIPPED" ? ordered : (item.quantity_shipped ?? 0)
    const targetShipped = Math.min(ordered, Math.max(prev.shipped, reportedShipped))
    const shipDelta = targetShipped - prev.shipped
    const matched = Math.min(shipDelta, external)
    external -= matched
    const decrement = historic ? 0 : shipDelta - matched
    const cancelled = phase === "closed" || item.cancelled
    let targetReserved = cancelled ? 0 : Math.max(0, ordered - targetShipped - external)

    const variant = item.variant
    const managed = merchant && !!variant && variant.manage_inventory && variant.inventory.length > 0
    if (!managed) {
      // Amazon-fulfilled, unmanaged or unmapped: nothing to hold at our locations. Reservations from an
      // earlier mapping are still released below.
      targetReserved = 0
    }

    let location = prev.location_id
    const moving = managed && (targetReserved > 0 || decrement > 0)
    if (!location && moving) {
      location = chooseLocation(variant as ResolvedVariant, input.location_ids, targetReserved + decrement)
      if (!location) {
        plan.warnings.push({
          code: "NO_STOCK_LOCATION",
          order_item_id: item.order_item_id,
          seller_sku: item.seller_sku,
          message: `variant ${variant?.variant_id} has no inventory level at the merchant locations counted for Amazon`,
        })
        // Nothing applied: a retry once a level exists applies the whole difference.
        next.reservations = prev.reservations
        next.external = prev.external
        plan.applied.items[item.order_item_id] = next
        continue
      }
    }
    next.location_id = location

    if (managed && decrement > 0 && location) {
      for (const inv of (variant as ResolvedVariant).inventory) {
        plan.adjust.push({ inventory_item_id: inv.inventory_item_id, location_id: location, adjustment: -decrement * inv.required_quantity })
      }
      affected.add((variant as ResolvedVariant).variant_id)
    }

    // Bring each inventory item's reservation to the target.
    const kept: AppliedReservation[] = []
    const inventories = managed ? (variant as ResolvedVariant).inventory : []
    const wanted = new Map(inventories.map((inv) => [inv.inventory_item_id, inv]))
    for (const { r, current } of held) {
      if (!current) {
        continue
      }
      const inv = wanted.get(r.inventory_item_id)
      const targetQty = inv ? targetReserved * inv.required_quantity : 0
      const swap = !!item.line_item_id && current.line_item_id !== item.line_item_id
      if (targetQty === 0 || swap) {
        plan.delete.push(current.id)
      } else {
        if (current.quantity !== targetQty) {
          plan.update.push({ id: current.id, quantity: targetQty })
        }
        kept.push(r)
        wanted.delete(r.inventory_item_id)
      }
      if (current.quantity !== targetQty && r.inventory_item_id) {
        affected.add(next.variant_id ?? "")
      }
    }
    if (targetReserved > 0 && location) {
      for (const inv of wanted.values()) {
        const existing = held.find(({ r, current }) => current && r.inventory_item_id === inv.inventory_item_id)
        const reservation: PlannedReservation = {
          order_item_id: item.order_item_id,
          inventory_item_id: inv.inventory_item_id,
          // A reservation being re-tied to its line item stays where it was.
          location_id: existing?.current?.location_id ?? location,
          quantity: targetReserved * inv.required_quantity,
          allow_backorder: true,
          description: `Amazon order ${input.amazon_order_id}`,
          external_id: input.amazon_order_id,
          metadata: { amazon_order_id: input.amazon_order_id, amazon_order_item_id: item.order_item_id },
        }
        if (item.line_item_id) {
          reservation.line_item_id = item.line_item_id
        }
        plan.create.push(reservation)
        kept.push({ id: "", inventory_item_id: inv.inventory_item_id, required_quantity: inv.required_quantity })
        if (!existing || existing.current?.quantity !== reservation.quantity) {
          affected.add((variant as ResolvedVariant).variant_id)
        }
      }
    }

    next.reservations = kept
    next.reserved = targetReserved > 0 && location ? targetReserved : 0
    next.shipped = targetShipped
    next.external = external
    next.released = prev.released + (cancelled ? Math.max(0, reservedNow - decrement) : 0)
    plan.applied.items[item.order_item_id] = next
  }

  // Items of an earlier version that are gone from this one keep their record (Amazon does not remove items).
  for (const [key, item] of Object.entries(input.applied.items)) {
    if (!plan.applied.items[key]) {
      plan.applied.items[key] = item
    }
  }
  affected.delete("")
  plan.variant_ids = [...affected].sort()
  return plan
}

/**
 * The plan of one item whose Medusa order exists: Medusa's fulfilled quantity is the truth for what left
 * stock, shipped units become fulfillments, every other unit stays reserved until cancelled.
 */
function planWithMedusaOrder(input: StockPlanInput, item: StockPlanItem, plan: StockPlan, affected: Set<string>, historic: boolean): void {
  const known = input.applied.items[item.order_item_id]
  const prev = known ?? freshItem(item)
  const lineItemId = item.line_item_id as string
  const ordered = item.quantity_ordered
  const inMedusa = Math.min(ordered, Math.max(0, item.fulfilled_in_medusa as number))
  const merchant = input.fulfilled_by === "MERCHANT"
  const variant = item.variant
  const managed = merchant && !!variant && variant.manage_inventory && variant.inventory.length > 0
  const inventories = managed ? (variant as ResolvedVariant).inventory : []

  // A record written before fulfillments were recorded: its shipped units left stock through the
  // import's own decrement (or, Amazon-fulfilled, never touched it) without a Medusa fulfillment; units
  // the store fulfilled itself were matched against them (`external` holds the ones not matched yet).
  const legacy = !!known && known.fulfilled === undefined
  const unrecorded = legacy ? Math.max(0, Math.min(ordered - inMedusa, prev.shipped - Math.max(0, inMedusa - prev.external))) : 0
  const shown = inMedusa + unrecorded

  const reportedShipped = input.status === "SHIPPED" ? ordered : (item.quantity_shipped ?? 0)
  const targetShipped = Math.min(ordered, Math.max(prev.shipped, reportedShipped))
  const cancelled = orderPhase(input.status) === "closed" || item.cancelled
  // A Medusa order cancelled in the store takes no fulfillment; units Amazon still ships leave stock.
  const closedInStore = !!input.order_canceled_in_store
  // Units the Medusa line still holds: an order edit may have removed some (never more than Amazon's).
  const kept = typeof item.quantity_in_medusa === "number" ? Math.max(0, Math.min(ordered, item.quantity_in_medusa)) : ordered
  const unlined = prev.unlined ?? 0
  const shippedNow = Math.max(0, targetShipped - shown - unlined)
  // Shipped units the line has room for become fulfillments; the rest only leave stock.
  const toShip = Math.min(shippedNow, Math.max(0, kept - shown))
  const beyondLine = shippedNow - toShip
  const viaMedusa = !historic && merchant && !!item.medusa_fulfilment && !cancelled && !closedInStore && toShip > 0
  const decrement = managed && !historic ? (viaMedusa ? 0 : toShip) + beyondLine : 0
  const targetReserved = !managed || cancelled || closedInStore ? 0 : Math.max(0, kept - shown - (viaMedusa ? 0 : toShip))

  const next: AppliedItem = {
    ...prev,
    seller_sku: item.seller_sku,
    variant_id: variant?.variant_id ?? prev.variant_id,
    line_item_id: lineItemId,
    reservations: [],
  }

  let location = prev.location_id
  if (!location && managed && (targetReserved > 0 || decrement > 0)) {
    location = chooseLocation(variant as ResolvedVariant, input.location_ids, targetReserved + decrement)
    if (!location) {
      plan.warnings.push({
        code: "NO_STOCK_LOCATION",
        order_item_id: item.order_item_id,
        seller_sku: item.seller_sku,
        message: `variant ${variant?.variant_id} has no inventory level at the merchant locations counted for Amazon`,
      })
      // Nothing applied: a later version once a level exists applies the whole difference.
      plan.applied.items[item.order_item_id] = { ...prev }
      return
    }
  }
  next.location_id = location

  if (decrement > 0 && location) {
    for (const inv of inventories) {
      plan.adjust.push({ inventory_item_id: inv.inventory_item_id, location_id: location, adjustment: -decrement * inv.required_quantity })
    }
    affected.add((variant as ResolvedVariant).variant_id)
  }

  const reservedNow = syncReservations(input, item, prev, targetReserved, location, inventories, plan, next, affected)

  const stockOf = inventories.map((inv) => ({ inventory_item_id: inv.inventory_item_id, required_quantity: inv.required_quantity }))
  if (!closedInStore && unrecorded > 0) {
    plan.fulfil.push({
      order_item_id: item.order_item_id,
      line_item_id: lineItemId,
      quantity: unrecorded,
      via: "record",
      stock_moved: false,
      location_id: managed ? location : null,
      inventory: stockOf,
    })
  }
  if (!closedInStore && toShip > 0) {
    plan.fulfil.push({
      order_item_id: item.order_item_id,
      line_item_id: lineItemId,
      quantity: toShip,
      via: viaMedusa ? "medusa" : "record",
      stock_moved: !viaMedusa && decrement > 0,
      location_id: managed ? location : null,
      inventory: stockOf,
    })
  }

  next.reserved = targetReserved > 0 && location ? targetReserved - (viaMedusa ? toShip : 0) : 0
  next.shipped = targetShipped
  next.fulfilled = closedInStore ? (prev.fulfilled ?? 0) : (prev.fulfilled ?? 0) + unrecorded + toShip
  next.external = 0
  if (unlined + beyondLine > 0) next.unlined = unlined + beyondLine
  next.released = prev.released + (cancelled ? Math.max(0, reservedNow - decrement) : 0)
  plan.applied.items[item.order_item_id] = next
}

/**
 * Brings each inventory item's reservation of `item` to `targetReserved` units (× its required quantity),
 * tied to the line item: updates or deletes the reservations held, creates what is missing. Returns the
 * units the reservations held before.
 */
function syncReservations(
  input: StockPlanInput,
  item: StockPlanItem,
  prev: AppliedItem,
  targetReserved: number,
  location: string | null,
  inventories: ResolvedVariant["inventory"],
  plan: StockPlan,
  next: AppliedItem,
  affected: Set<string>
): number {
  const held = prev.reservations.map((r) => ({ r, current: input.reservations[r.id] }))
  const reservedNow = held.length
    ? Math.min(...held.map(({ r, current }) => Math.floor((current?.quantity ?? 0) / (r.required_quantity || 1))))
    : 0
  const kept: AppliedReservation[] = []
  const wanted = new Map(inventories.map((inv) => [inv.inventory_item_id, inv]))
  for (const { r, current } of held) {
    if (!current) {
      continue
    }
    const inv = wanted.get(r.inventory_item_id)
    const targetQty = inv ? targetReserved * inv.required_quantity : 0
    const swap = !!item.line_item_id && current.line_item_id !== item.line_item_id
    if (targetQty === 0 || swap) {
      plan.delete.push(current.id)
    } else {
      if (current.quantity !== targetQty) {
        plan.update.push({ id: current.id, quantity: targetQty })
      }
      kept.push(r)
      wanted.delete(r.inventory_item_id)
    }
    if (current.quantity !== targetQty) {
      affected.add(next.variant_id ?? "")
    }
  }
  if (targetReserved > 0 && location) {
    for (const inv of wanted.values()) {
      const existing = held.find(({ r, current }) => current && r.inventory_item_id === inv.inventory_item_id)
      const reservation: PlannedReservation = {
        order_item_id: item.order_item_id,
        inventory_item_id: inv.inventory_item_id,
        // A reservation being re-tied to its line item stays where it was.
        location_id: existing?.current?.location_id ?? location,
        quantity: targetReserved * inv.required_quantity,
        allow_backorder: true,
        description: `Amazon order ${input.amazon_order_id}`,
        external_id: input.amazon_order_id,
        metadata: { amazon_order_id: input.amazon_order_id, amazon_order_item_id: item.order_item_id },
      }
      if (item.line_item_id) {
        reservation.line_item_id = item.line_item_id
      }
      plan.create.push(reservation)
      kept.push({ id: "", inventory_item_id: inv.inventory_item_id, required_quantity: inv.required_quantity })
      if (!existing || existing.current?.quantity !== reservation.quantity) {
        affected.add(next.variant_id ?? "")
      }
    }
  }
  next.reservations = kept
  return reservedNow
}

/** Puts the ids of the reservations just created into `applied` (matched by order item and inventory item). */
export function fillReservationIds(
  applied: AppliedState,
  created: { id: string; inventory_item_id: string; metadata?: Record<string, unknown> | null }[]
): AppliedState {
  const out: AppliedState = { version: 1, items: {}, ...(applied.packages ? { packages: applied.packages } : {}) }
  for (const [key, item] of Object.entries(applied.items)) {
    out.items[key] = {
      ...item,
      reservations: item.reservations
        .map((r) => {
          if (r.id) {
            return r
          }
          const match = created.find(
            (c) => c.inventory_item_id === r.inventory_item_id && c.metadata?.amazon_order_item_id === item.order_item_id
          )
          return match ? { ...r, id: match.id } : r
        })
        .filter((r) => r.id),
    }
  }
  return out
}

/**
 * Re-points `applied` at reservations Medusa put in place of ours. Medusa's confirmOrderEditRequestWorkflow
 * deletes the reservations of every line item an order edit changed and reserves the new quantity itself
 * (without our metadata); without this the next import would see ours gone and reserve the units again.
 * A reservation of the same line item and inventory item that `applied` does not know replaces the one it
 * knows that is gone. Returns a new state; `current` holds every reservation read (by id and by line item).
 */
export function adoptReplacedReservations(applied: AppliedState, current: CurrentReservation[]): AppliedState {
  const byId = new Set(current.map((r) => r.id))
  const known = new Set(Object.values(applied.items).flatMap((i) => i.reservations.map((r) => r.id)))
  const items: AppliedState["items"] = {}
  for (const [key, item] of Object.entries(applied.items)) {
    if (!item.line_item_id) {
      items[key] = item
      continue
    }
    const reservations = item.reservations.map((r) => {
      if (byId.has(r.id)) return r
      const replacement = current.find((c) => c.line_item_id === item.line_item_id && c.inventory_item_id === r.inventory_item_id && !known.has(c.id))
      if (!replacement) return r
      known.add(replacement.id)
      return { ...r, id: replacement.id }
    })
    items[key] = { ...item, reservations }
  }
  return { ...applied, items }
}
