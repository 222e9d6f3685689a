import type { Link } from "@medusajs/framework/modules-sdk"
import type { IFulfillmentModuleService, IInventoryService, IOrderModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ChangeActionType, ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { FulfilmentGroup } from "../../../lib/amazon/orders"
import { writeImportedShipments } from "../../shared/medusa-tables"
import type { SqlWithTransactions } from "../../shared/medusa-tables"
import { AMAZON_FULFILMENT_CREATED_BY, amazonFulfilmentMetadata } from "../utils/amazon-fulfilment"

export const recordAmazonFulfilmentsStepId = "amazon-record-fulfilments"

export interface RecordAmazonFulfilmentsStepInput {
  orders: {
    order_id: string
    amazon_order_id: string
    /** The order's `record` groups (groupFulfilments); groups for Medusa's own workflow are not taken here. */
    groups: FulfilmentGroup[]
  }[]
  /**
   * How the orders learn their fulfilled and shipped quantities:
   * - order_change (default): as Medusa's registerOrderFulfillmentStep / registerOrderShipmentStep do, a
   *   confirmed FULFILL_ITEM change, then a confirmed SHIP_ITEM change (two new order versions);
   * - items: written straight onto the order's items (its current version). For orders the batched import
   *   has just created: confirming a change copies the whole order into a new version (~40 ms an order),
   *   which would make a page with 20 shipped orders twice as slow as the rest of the batch. The
   *   quantities and the fulfillments are the same; the order keeps version 1 and no change history.
   */
  quantities?: "order_change" | "items"
  /**
   * With `quantities: "items"`: the stock the recorded units take off their levels, written in the same
   * transaction as the items' quantities (writeImportedShipments), so that an order found again after a
   * crash shows its shipped units fulfilled exactly when their stock has moved. Written also when there
   * is nothing to record (an order without a shipping option).
   */
  stock_moves?: { inventory_item_id: string; location_id: string; adjustment: number }[]
}

export interface RecordedAmazonFulfilment {
  order_id: string
  fulfillment_id: string
}

type Undo = {
  fulfillment_ids: string[]
  links: RecordedAmazonFulfilment[]
  versions: string[]
  pending_changes?: string[]
  /** Order items (detail rows) as they were before `quantities: "items"` wrote them. */
  items?: { id: string; fulfilled_quantity: number; shipped_quantity: number }[]
  /** Level moves written with them (undone by their opposite, in one transaction with the items). */
  levels?: { inventory_item_id: string; location_id: string; adjustment: number }[]
}

type OrderRow = {
  id: string
  version?: number
  shipping_address?: Record<string, unknown> | null
  items?: {
    id: string
    title?: string | null
    variant_title?: string | null
    variant_sku?: string | null
    variant_barcode?: string | null
    requires_shipping?: boolean | null
  }[]
  shipping_methods?: { shipping_option_id?: string | null; data?: Record<string, unknown> | null }[]
}

type OptionRow = { id: string; provider_id: string; service_zone?: { fulfillment_set?: { location?: { id: string } | null } | null } | null }

/** Fulfillments created at once (each goes through the fulfillment module and its provider on its own). */
const CREATE_CONCURRENCY = 8

/**
 * Records units Amazon shipped as Medusa fulfillments, already shipped, with the records Medusa's
 * createOrderFulfillmentWorkflow + createOrderShipmentWorkflow leave — a fulfillment (items, delivery
 * address, the order's shipping option and its provider, labels with Amazon's tracking numbers, packed
 * and shipped), its order ↔ fulfillment link, and the order's fulfilled and shipped quantities (see
 * `quantities`), so the order reads Fulfilled / Shipped — but without moving stock through it: the units
 * left stock by the import's own stock plan (the batched import, which runs no per-order workflow), or
 * there is no merchant stock to move (Amazon-fulfilled orders: Amazon's warehouses are mirrored by the FBA
 * sync).
 *
 * The fulfillment module has no bulk create (each fulfillment goes through its provider): fulfillments
 * are created a few at a time; everything else is written for all orders in one call each. Compensation
 * cancels the fulfillments, removes the links and restores the orders' quantities (or versions).
 *
 * @example
 * recordAmazonFulfilmentsStep({ orders: [{ order_id, amazon_order_id, groups }] })
 */
export const recordAmazonFulfilmentsStep = createStep(
  recordAmazonFulfilmentsStepId,
  async (input: RecordAmazonFulfilmentsStepInput, { container }) => {
    const undo: Undo = { fulfillment_ids: [], links: [], versions: [] }
    const work = input.orders.map((o) => ({ ...o, groups: o.groups.filter((g) => g.via === "record" && g.items.length) })).filter((o) => o.groups.length)
    const stockMoves = input.quantities === "items" ? (input.stock_moves ?? []).filter((m) => m.adjustment !== 0) : []
    if (input.stock_moves?.length && input.quantities !== "items") {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "recordAmazonFulfilmentsStep: stock_moves are written only with quantities: \"items\"")
    }
    if (!work.length) {
      if (stockMoves.length) {
        await writeImportedShipments(sqlOf(container), { items: [], levels: stockMoves })
        undo.levels = stockMoves
      }
      return new StepResponse<RecordedAmazonFulfilment[], Undo>([], undo)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)

    const { data: orderRows } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "version",
        "shipping_address.*",
        "items.id",
        "items.title",
        "items.variant_title",
        "items.variant_sku",
        "items.variant_barcode",
        "items.requires_shipping",
        "shipping_methods.shipping_option_id",
        "shipping_methods.data",
      ],
      filters: { id: work.map((o) => o.order_id) },
    })
    const orderOf = new Map((orderRows as OrderRow[]).map((o) => [o.id, o]))
    const optionIds = [...new Set((orderRows as OrderRow[]).map((o) => o.shipping_methods?.[0]?.shipping_option_id).filter((id): id is string => !!id))]
    const { data: optionRows } = optionIds.length
      ? await query.graph({ entity: "shipping_option", fields: ["id", "provider_id", "service_zone.fulfillment_set.location.id"], filters: { id: optionIds } })
      : { data: [] }
    const optionOf = new Map((optionRows as OptionRow[]).map((o) => [o.id, o]))
    // The inventory items' titles and SKUs (what createOrderFulfillmentWorkflow names fulfillment items
    // after), read from the inventory module in one query rather than through the order's variant links.
    const inventoryIds = [...new Set(work.flatMap((o) => o.groups.flatMap((g) => g.items.flatMap((f) => f.inventory.map((i) => i.inventory_item_id)))))]
    const inventoryOf = new Map(
      (inventoryIds.length
        ? await container.resolve<IInventoryService>(Modules.INVENTORY).listInventoryItems({ id: inventoryIds }, { select: ["id", "title", "sku"] })
        : []
      ).map((i) => [i.id, i])
    )

    // Everything to create, checked before anything is written.
    const toCreate: { order_id: string; lines: { id: string; quantity: number }[]; data: Record<string, unknown> }[] = []
    for (const o of work) {
      const order = orderOf.get(o.order_id)
      const method = order?.shipping_methods?.[0]
      const option = method?.shipping_option_id ? optionOf.get(method.shipping_option_id) : undefined
      if (!order || !option) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Order ${o.order_id} has no shipping option to record Amazon's shipment under`)
      }
      const lineItems = new Map((order.items ?? []).map((i) => [i.id, i]))
      const { id: _id, ...address } = (order.shipping_address ?? {}) as Record<string, unknown>
      for (const group of o.groups) {
        const locationId = group.location_id ?? option.service_zone?.fulfillment_set?.location?.id
        if (!locationId) {
          throw new MedusaError(MedusaError.Types.INVALID_DATA, `The shipping option ${option.id} of order ${o.order_id} has no stock location`)
        }
        // Items as createOrderFulfillmentWorkflow builds them: one per inventory item of a stock-managed
        // variant (title and SKU of the inventory item, quantity × required quantity), else one per line.
        const items = group.items.flatMap((f) => {
          const line = lineItems.get(f.line_item_id)
          const base = { line_item_id: f.line_item_id, title: line?.variant_title ?? line?.title ?? "", sku: line?.variant_sku || "", barcode: line?.variant_barcode || "" }
          if (!f.inventory.length) {
            return [{ ...base, quantity: f.quantity }]
          }
          return f.inventory.map((inv) => {
            const known = inventoryOf.get(inv.inventory_item_id)
            return {
              ...base,
              inventory_item_id: inv.inventory_item_id,
              quantity: f.quantity * inv.required_quantity,
              title: known?.title || base.title,
              sku: known?.sku || base.sku,
            }
          })
        })
        const quantities = new Map<string, number>()
        for (const f of group.items) {
          quantities.set(f.line_item_id, (quantities.get(f.line_item_id) ?? 0) + f.quantity)
        }
        toCreate.push({
          order_id: o.order_id,
          lines: [...quantities].map(([id, quantity]) => ({ id, quantity })),
          data: {
            location_id: locationId,
            provider_id: option.provider_id,
            shipping_option_id: option.id,
            data: method?.data ?? {},
            items,
            requires_shipping: group.items.some((f) => lineItems.get(f.line_item_id)?.requires_shipping !== false),
            labels: [],
            delivery_address: address,
            created_by: AMAZON_FULFILMENT_CREATED_BY,
            packed_at: new Date(),
            // Created shipped, as createShipmentWorkflow then marks it.
            shipped_at: new Date(),
            marked_shipped_by: AMAZON_FULFILMENT_CREATED_BY,
            metadata: amazonFulfilmentMetadata(o.amazon_order_id, group),
            order: { id: o.order_id },
            _labels: group.labels,
          },
        })
      }
    }

    const recorded: (RecordedAmazonFulfilment & { lines: { id: string; quantity: number }[] })[] = []
    try {
      const queue = toCreate.map((c, i) => ({ c, i }))
      const results = new Array<RecordedAmazonFulfilment & { lines: { id: string; quantity: number }[] }>(toCreate.length)
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const { _labels: labels, ...data } = next.c.data as { _labels: FulfilmentGroup["labels"] } & Record<string, unknown>
          const created = await fulfillment.createFulfillment(data as never)
          undo.fulfillment_ids.push(created.id)
          if (labels.length) {
            // After creation: the module replaces the labels with the provider's answer (none, manual).
            await fulfillment.updateFulfillment(created.id, { labels } as never)
          }
          results[next.i] = { order_id: next.c.order_id, fulfillment_id: created.id, lines: next.c.lines }
        }
      }
      await Promise.all(Array.from({ length: Math.min(CREATE_CONCURRENCY, queue.length) }, worker))
      recorded.push(...results)

      undo.links = recorded.map(({ order_id, fulfillment_id }) => ({ order_id, fulfillment_id }))
      await link.create(undo.links.map((l) => ({ [Modules.ORDER]: { order_id: l.order_id }, [Modules.FULFILLMENT]: { fulfillment_id: l.fulfillment_id } })))

      if (input.quantities === "items") {
        await writeItemQuantities(container, orders, orderOf, recorded, stockMoves, undo)
      } else {
        await registerOrderChanges(orders, recorded, undo)
      }
    } catch (e) {
      await undoRecorded(container, undo)
      throw e
    }
    return new StepResponse<RecordedAmazonFulfilment[], Undo>(
      recorded.map(({ order_id, fulfillment_id }) => ({ order_id, fulfillment_id })),
      undo
    )
  },
  async (undo, { container }) => {
    if (undo) {
      await undoRecorded(container, undo)
    }
  }
)

type Recorded = RecordedAmazonFulfilment & { lines: { id: string; quantity: number }[] }

type OrderItemCrud = {
  listOrderItems(filters: unknown, config: unknown): Promise<unknown[]>
}

/**
 * What registerFulfillment + registerShipment do, for every order at once: a confirmed FULFILL_ITEM
 * change, then a confirmed SHIP_ITEM change per fulfillment. The module allows one open change per order,
 * so an order with several fulfillments takes several rounds.
 */
async function registerOrderChanges(orders: IOrderModuleService, recorded: Recorded[], undo: Undo) {
  for (const action of [ChangeActionType.FULFILL_ITEM, ChangeActionType.SHIP_ITEM] as const) {
    const left = [...recorded]
    while (left.length) {
      const round = new Map<string, Recorded>()
      for (let i = 0; i < left.length; ) {
        if (round.has(left[i].order_id)) {
          i += 1
        } else {
          round.set(left[i].order_id, left[i])
          left.splice(i, 1)
        }
      }
      const changes = await orders.createOrderChange(
        [...round.values()].map((r) => ({
          order_id: r.order_id,
          created_by: AMAZON_FULFILMENT_CREATED_BY,
          actions: r.lines.map((item) => ({
            action,
            reference: Modules.FULFILLMENT,
            reference_id: r.fulfillment_id,
            details: { reference_id: item.id, quantity: item.quantity },
          })),
        })) as never
      )
      const ids = (changes as unknown as { id: string }[]).map((c) => c.id)
      undo.pending_changes = ids
      await orders.confirmOrderChange(ids)
      undo.pending_changes = []
      undo.versions.push(...round.keys())
    }
  }
}

/**
 * The fulfilled and shipped quantities written onto the orders' items (their current version) and the
 * recorded units' stock moves, in one transaction (writeImportedShipments).
 */
async function writeItemQuantities(
  container: MedusaContainer,
  orders: IOrderModuleService,
  orderOf: Map<string, OrderRow>,
  recorded: Recorded[],
  levels: NonNullable<Undo["levels"]>,
  undo: Undo
) {
  const add = new Map<string, number>()
  for (const r of recorded) {
    for (const line of r.lines) {
      const key = `${r.order_id}|${line.id}`
      add.set(key, (add.get(key) ?? 0) + line.quantity)
    }
  }
  // listOrderItems: the module's generated CRUD of its OrderItem model (the order detail rows holding
  // fulfilled and shipped quantities), which IOrderModuleService does not declare.
  const items = orders as unknown as OrderItemCrud
  const details = (await items.listOrderItems(
    { order_id: [...new Set(recorded.map((r) => r.order_id))], item_id: [...new Set(recorded.flatMap((r) => r.lines.map((l) => l.id)))] } as never,
    { select: ["id", "order_id", "item_id", "version", "fulfilled_quantity", "shipped_quantity"] }
  )) as unknown as { id: string; order_id: string; item_id: string; version: number; fulfilled_quantity: unknown; shipped_quantity: unknown }[]
  const current = details.filter((d) => d.version === (orderOf.get(d.order_id)?.version ?? 1) && add.has(`${d.order_id}|${d.item_id}`))
  const before = current.map((d) => ({ id: d.id, fulfilled_quantity: Number(d.fulfilled_quantity), shipped_quantity: Number(d.shipped_quantity) }))
  await writeImportedShipments(sqlOf(container), {
    items: current.map((d) => {
      const n = add.get(`${d.order_id}|${d.item_id}`) as number
      return { id: d.id, fulfilled_quantity: Number(d.fulfilled_quantity) + n, shipped_quantity: Number(d.shipped_quantity) + n }
    }),
    levels,
  })
  undo.items = before
  undo.levels = levels
}

function sqlOf(container: MedusaContainer): SqlWithTransactions {
  return container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as SqlWithTransactions
}

async function undoRecorded(container: MedusaContainer, undo: Undo) {
  const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
  if (undo.pending_changes?.length) {
    // Created but not confirmed: an open change would block every later change of the order.
    await orders.deleteOrderChanges(undo.pending_changes)
    undo.pending_changes = []
  }
  for (const orderId of [...undo.versions].reverse()) {
    await orders.revertLastVersion(orderId)
  }
  undo.versions = []
  if (undo.items?.length || undo.levels?.length) {
    await writeImportedShipments(sqlOf(container), {
      items: undo.items ?? [],
      levels: (undo.levels ?? []).map((l) => ({ ...l, adjustment: -l.adjustment })),
    })
    undo.items = []
    undo.levels = []
  }
  if (undo.links.length) {
    const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
    await link.dismiss(undo.links.map((l) => ({ [Modules.ORDER]: { order_id: l.order_id }, [Modules.FULFILLMENT]: { fulfillment_id: l.fulfillment_id } })))
    undo.links = []
  }
  const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
  for (const id of undo.fulfillment_ids) {
    await fulfillment.cancelFulfillment(id)
  }
  undo.fulfillment_ids = []
}
