import type { IInventoryService, IOrderModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { adoptReplacedReservations, AMAZON_ORDER_METADATA_KEY, readApplied } from "../../../lib/amazon/orders"
import type { AppliedState, CurrentReservation } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const loadAmazonOrderRecordStepId = "amazon-load-order-record"

export interface LoadAmazonOrderRecordStepInput {
  amazon_order_id: string | null
}

export interface AmazonOrderRecordState {
  id: string
  account_id: string | null
  status: string
  amazon_updated_at: string | Date | null
  import_status: "pending" | "imported" | "needs_attention"
  attention_code: string | null
  attempts: number
  order_id: string | null
}

export interface LoadAmazonOrderRecordStepOutput {
  record: AmazonOrderRecordState | null
  /** The Medusa order: the linked one, or one found by its metadata when a crash kept the link from being recorded. */
  medusa_order: {
    id: string
    canceled: boolean
    /** Found by metadata, not through the record: the link must be written now. */
    recovered: boolean
    /** Has a payment collection (a recovered order may have been created but not yet shown as paid). */
    paid: boolean
    items: { id: string; amazon_order_item_id: string | null }[]
  } | null
  /** What was applied to stock, including reservations adopted from a crashed run. */
  applied: AppliedState
  /** The reservations `applied` refers to, as they are now (a missing id was deleted). */
  reservations: Record<string, CurrentReservation>
}

/**
 * Reads everything the import knows about one Amazon order: our record, its Medusa order and the stock
 * reservations it holds.
 *
 * Crash recovery: the Medusa order carries the Amazon order id in its metadata. When the record has no
 * order (the process died between creating the order and recording the link), the order is looked up by
 * that metadata, so the next run links it instead of creating a second one; reservations the crashed run
 * already tied to its line items are adopted instead of being made twice.
 *
 * @example
 * const state = loadAmazonOrderRecordStep({ amazon_order_id: "302-1234567-1234567" })
 */
export const loadAmazonOrderRecordStep = createStep(
  loadAmazonOrderRecordStepId,
  async (input: LoadAmazonOrderRecordStepInput, { container }) => {
    const empty: LoadAmazonOrderRecordStepOutput = { record: null, medusa_order: null, applied: { version: 1, items: {} }, reservations: {} }
    if (!input.amazon_order_id) {
      return new StepResponse(empty)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)

    const [row] = await amazon.listAmazonOrders({ amazon_order_id: input.amazon_order_id }, { take: 1 })
    const record: AmazonOrderRecordState | null = row
      ? {
          id: row.id,
          account_id: (row as { account_id?: string | null }).account_id ?? null,
          status: row.status,
          amazon_updated_at: row.amazon_updated_at as unknown as string,
          import_status: row.import_status,
          attention_code: row.attention_code ?? null,
          attempts: row.attempts ?? 0,
          order_id: row.order_id ?? null,
        }
      : null
    let applied = readApplied(row?.applied)

    let orderId = record?.order_id ?? null
    let recovered = false
    if (!orderId) {
      const [found] = await orders.listOrders(
        { metadata: { [AMAZON_ORDER_METADATA_KEY]: input.amazon_order_id } } as Record<string, unknown>,
        { select: ["id", "metadata"], take: 1, order: { created_at: "ASC" } }
      )
      // Checked again here: adopting somebody else's order would be far worse than creating one.
      if (found && found.metadata?.[AMAZON_ORDER_METADATA_KEY] === input.amazon_order_id) {
        orderId = found.id
        recovered = true
      }
    }

    let medusaOrder: LoadAmazonOrderRecordStepOutput["medusa_order"] = null
    if (orderId) {
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "status", "canceled_at", "items.id", "items.metadata", "payment_collections.id"],
        filters: { id: orderId },
      })
      const order = data[0] as
        | {
            id: string
            status: string
            canceled_at?: unknown
            items?: { id: string; metadata?: Record<string, unknown> | null }[]
            payment_collections?: { id: string }[] | null
          }
        | undefined
      if (order) {
        medusaOrder = {
          id: order.id,
          canceled: order.status === "canceled" || !!order.canceled_at,
          recovered,
          paid: (order.payment_collections ?? []).length > 0,
          items: (order.items ?? []).map((i) => ({
            id: i.id,
            amazon_order_item_id: typeof i.metadata?.amazon_order_item_id === "string" ? i.metadata.amazon_order_item_id : null,
          })),
        }
      }
    }

    const ids = Object.values(applied.items).flatMap((i) => i.reservations.map((r) => r.id))
    const lineItemIds = medusaOrder?.items.map((i) => i.id) ?? []
    const found = [
      ...(ids.length ? await inventory.listReservationItems({ id: ids }) : []),
      ...(lineItemIds.length ? await inventory.listReservationItems({ line_item_id: lineItemIds }) : []),
    ]
    const reservations: Record<string, CurrentReservation> = {}
    for (const r of found) {
      reservations[r.id] = {
        id: r.id,
        inventory_item_id: r.inventory_item_id,
        location_id: r.location_id,
        quantity: Number(r.quantity),
        line_item_id: r.line_item_id ?? null,
      }
    }

    // Adopt reservations of line items the record knows nothing about (a run that crashed after
    // reserving): the plan then adjusts them instead of reserving the same units a second time.
    for (const line of medusaOrder?.items ?? []) {
      if (!line.amazon_order_item_id || applied.items[line.amazon_order_item_id]) {
        continue
      }
      const held = found.filter((r) => r.line_item_id === line.id)
      if (!held.length) {
        continue
      }
      applied.items[line.amazon_order_item_id] = {
        order_item_id: line.amazon_order_item_id,
        seller_sku: "",
        variant_id: null,
        line_item_id: line.id,
        location_id: held[0].location_id,
        reserved: Math.min(...held.map((r) => Number(r.quantity))),
        shipped: 0,
        fulfilled: 0,
        external: 0,
        released: 0,
        reservations: held.map((r) => ({ id: r.id, inventory_item_id: r.inventory_item_id, required_quantity: 1 })),
      }
    }

    // Reservations Medusa's order edit put in place of ours are ours to keep adjusting.
    applied = adoptReplacedReservations(applied, Object.values(reservations))

    return new StepResponse<LoadAmazonOrderRecordStepOutput>({ record, medusa_order: medusaOrder, applied, reservations })
  }
)
