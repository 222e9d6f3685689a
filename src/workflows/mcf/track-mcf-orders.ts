import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createOrderShipmentWorkflow, markOrderFulfillmentAsDeliveredWorkflow } from "@medusajs/medusa/core-flows"
import { randomUUID } from "node:crypto"
import { AmazonApiError } from "../../lib/amazon/errors"
import { readMcfOrder, type McfOrderState, type McfPackage } from "../../lib/amazon/mcf/mcf-order"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"
import { MCF_STREAM, mcfTrackingLockKey } from "./constants"
import { placeMcfOrder } from "./place-mcf-order"

export interface TrackMcfOrdersInput {
  account_id?: string
  /** Only these MCF orders (a FULFILLMENT_ORDER_STATUS notification names one). */
  mcf_order_ids?: string[]
  now?: Date
}

export interface TrackMcfOrdersSummary {
  checked: number
  shipped: number
  delivered: number
  problems: number
  calls: number
  skipped_locked: string[]
}

type Row = Awaited<ReturnType<AmazonModuleService["listAmazonMcfOrders"]>>[number]
type StoredPackage = McfPackage & { shipment_recorded?: boolean }

/** Orders Amazon shipped are followed until delivered, for at most this long. */
const FOLLOW_DELIVERY_DAYS = 30

/**
 * Follows the store's MCF orders at Amazon (getOrder, 2/s burst 30, per open order): shipped packages become
 * the Medusa fulfillment's shipment with their tracking numbers, delivery marks it delivered, and whatever
 * Amazon could not ship (unfulfillable, partly shipped, cancelled by Amazon) is flagged in the sync log with
 * what to do: cancel the fulfillment in Medusa and fulfil the rest from another location. Run by the
 * `amazon-mcf-orders` job and at once by a FULFILLMENT_ORDER_STATUS notification. Idempotent: a package is
 * recorded once (row.packages[].shipment_recorded), Medusa's shipment and delivery once per fulfillment.
 */
export async function trackMcfOrders(container: MedusaContainer, input: TrackMcfOrdersInput = {}): Promise<TrackMcfOrdersSummary> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const locking = container.resolve(Modules.LOCKING)
  const now = input.now ?? new Date()
  const since = new Date(now.getTime() - FOLLOW_DELIVERY_DAYS * 86_400_000)
  const rows = await amazon.listAmazonMcfOrders(
    {
      ...(input.account_id ? { account_id: input.account_id } : {}),
      ...(input.mcf_order_ids ? { mcf_order_id: input.mcf_order_ids } : {}),
      $or: [
        { status: ["requested", "processing", "held"] },
        { status: ["complete", "complete_partial"], delivered_at: null, created_at: { $gte: since } },
      ],
    } as never,
    { take: 500, order: { created_at: "ASC" } }
  )
  const summary: TrackMcfOrdersSummary = { checked: 0, shipped: 0, delivered: 0, problems: 0, calls: 0, skipped_locked: [] }
  const byAccount = new Map<string, Row[]>()
  for (const r of rows) byAccount.set(r.account_id, [...(byAccount.get(r.account_id) ?? []), r])
  for (const [accountId, list] of byAccount) {
    const owner = `amazon-mcf:${randomUUID()}`
    try {
      await locking.acquire(mcfTrackingLockKey(accountId), { ownerId: owner, expire: 120 })
    } catch {
      summary.skipped_locked.push(accountId)
      continue
    }
    try {
      const api = await amazon.getSpApi(accountId)
      for (const row of list) {
        summary.checked += 1
        let state: McfOrderState
        try {
          summary.calls += 1
          state = readMcfOrder((await api.getMcfOrder(row.mcf_order_id)).data.order)
        } catch (e) {
          if (e instanceof AmazonApiError && e.status === 404 && row.status === "requested") {
            // Never reached Amazon: the process died between recording the order and Amazon's answer. The
            // fulfillment it belongs to still stands, so place it now (same order id: Amazon cannot get two).
            await replaceUnplaced(container, amazon, row, now)
            continue
          }
          await amazon.updateAmazonMcfOrders({ id: row.id, last_error: `Reading the order at Amazon failed: ${(e as Error)?.message ?? e}`, last_checked_at: now })
          continue
        }
        const outcome = await applyState(container, amazon, row, state, now)
        summary.shipped += outcome.shipped ? 1 : 0
        summary.delivered += outcome.delivered ? 1 : 0
        summary.problems += outcome.problem ? 1 : 0
      }
    } finally {
      await locking.release(mcfTrackingLockKey(accountId), { ownerId: owner }).catch(() => undefined)
    }
  }
  return summary
}

/** A recorded order Amazon never received, whose fulfillment still stands in Medusa: placed again; otherwise closed. */
async function replaceUnplaced(container: MedusaContainer, amazon: AmazonModuleService, row: Row, now: Date): Promise<void> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "fulfillment",
    fields: ["id", "canceled_at"],
    filters: { id: row.fulfillment_id },
  })
  const f = data[0] as { id: string; canceled_at: string | null } | undefined
  if (!f || f.canceled_at) {
    await amazon.updateAmazonMcfOrders({ id: row.id, status: "refused", last_error: "Amazon never received the order and its fulfillment is gone", last_checked_at: now })
    return
  }
  try {
    await placeMcfOrder(container, row.fulfillment_id)
  } catch (e) {
    // placeMcfOrder recorded Amazon's refusal on the row and in the sync log, with what to do
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`amazon mcf: placing ${row.mcf_order_id} again failed: ${(e as Error)?.message ?? e}`)
  }
}

async function applyState(
  container: MedusaContainer,
  amazon: AmazonModuleService,
  row: Row,
  state: McfOrderState,
  now: Date
): Promise<{ shipped: boolean; delivered: boolean; problem: boolean }> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const stored = new Map(((row.packages ?? []) as unknown as StoredPackage[]).map((p) => [p.package_id, p]))
  const packages: StoredPackage[] = state.packages.map((p) => ({ ...p, shipment_recorded: stored.get(p.package_id)?.shipment_recorded ?? false }))
  const shippedNow = packages.filter((p) => (p.ship_time || (p.status && p.status !== "PROCESSING")) && p.tracking_number)
  const { data } = await query.graph({
    entity: "fulfillment",
    fields: ["id", "shipped_at", "delivered_at", "canceled_at", "items.line_item_id", "items.quantity"],
    filters: { id: row.fulfillment_id },
  })
  const f = data[0] as { id: string; shipped_at: string | null; delivered_at: string | null; canceled_at: string | null; items: { line_item_id: string; quantity: number }[] } | undefined
  const update: Record<string, unknown> = { id: row.id, amazon_status: state.amazon_status, last_checked_at: now, calls: row.calls + 1, last_error: null }
  let shipped = false
  let delivered = false
  let problem = false

  if (f && !f.canceled_at && shippedNow.length && !f.shipped_at) {
    // Medusa's shipment of the fulfillment, with every package Amazon shipped so far as a tracking label
    await createOrderShipmentWorkflow(container).run({
      input: {
        order_id: row.order_id,
        fulfillment_id: f.id,
        items: f.items.map((i) => ({ id: i.line_item_id, quantity: Number(i.quantity) })),
        labels: shippedNow.map((p) => ({ tracking_number: p.tracking_number!, tracking_url: p.tracking_url ?? "", label_url: p.tracking_url ?? "" })),
        metadata: { amazon_mcf_order_id: row.mcf_order_id, carriers: [...new Set(shippedNow.map((p) => p.carrier_code).filter(Boolean))] },
      },
    })
    for (const p of shippedNow) p.shipment_recorded = true
    update.shipped_at = now
    shipped = true
  } else if (f?.shipped_at) {
    for (const p of shippedNow) p.shipment_recorded = true
  }
  if (f && !f.canceled_at && state.all_delivered && !f.delivered_at && (f.shipped_at || shipped)) {
    await markOrderFulfillmentAsDeliveredWorkflow(container).run({ input: { orderId: row.order_id, fulfillmentId: f.id } })
    update.delivered_at = now
    delivered = true
  }
  update.packages = packages

  if (state.status !== row.status && !(row.status === "cancelled" && state.status === "cancelled")) {
    update.status = state.status
    const units = Object.values(state.lines).reduce((s, l) => s + l.unfulfillable + l.cancelled, 0)
    const problems: Record<string, { code: string; message: string }> = {
      unfulfillable: {
        code: "MCF_UNFULFILLABLE",
        message: `Amazon cannot ship MCF order ${row.mcf_order_id} (order ${row.order_id}): not enough sellable FBA stock. Cancel the fulfillment in Medusa and fulfil the order from another location.`,
      },
      invalid: {
        code: "MCF_INVALID",
        message: `Amazon marked MCF order ${row.mcf_order_id} (order ${row.order_id}) invalid. Cancel the fulfillment in Medusa and fulfil the order from another location.`,
      },
      complete_partial: {
        code: "MCF_PARTIAL",
        message: `Amazon shipped MCF order ${row.mcf_order_id} (order ${row.order_id}) only in part: ${units} unit(s) were not shipped. Fulfil them from another location.`,
      },
      cancelled: {
        code: "MCF_CANCELLED_BY_AMAZON",
        message: `Amazon cancelled MCF order ${row.mcf_order_id} (order ${row.order_id}). Cancel the fulfillment in Medusa and fulfil the order from another location.`,
      },
    }
    const p = problems[state.status]
    if (p && !(state.status === "cancelled" && row.cancelled_by === "store")) {
      problem = true
      update.last_error = p.message
      if (state.status === "cancelled") {
        update.cancelled_at = now
        update.cancelled_by = "amazon"
      }
      logger.warn(`amazon mcf: ${p.message}`)
      await amazon.recordSyncLog({
        account_id: row.account_id,
        stream: MCF_STREAM,
        level: "warn",
        code: p.code,
        message: p.message,
        context: { mcf_order_record_id: row.id, order_id: row.order_id, fulfillment_id: row.fulfillment_id },
      })
    }
  }
  await amazon.updateAmazonMcfOrders(update as never)
  return { shipped, delivered, problem }
}
