import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { StockEventKind } from "../utils/stock-events"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import { resolveStockChangeVariants } from "./resolve-stock-change-variants"

export const resolveStockEventsStepId = "amazon-resolve-stock-events"

/** Event rows resolved per transaction: a stock take of 10,000 items is one batch. */
const EVENTS_PER_BATCH = 10_000
/** Bounds one push run's share of a huge backlog; what is left waits for the next run. */
const MAX_EVENTS_PER_RUN = 100_000

export interface ResolveStockEventsStepInput {
  lock: AmazonLock
}

export interface ResolveStockEventsOutput {
  /** Event rows read and deleted. */
  events: number
  /** Outbox rows upserted from them (variants sold on Amazon). */
  enqueued: number
}

/**
 * Resolves the stock events the subscriber recorded (amazon_stock_event) into outbox rows, oldest first,
 * in batches: one set of bulk lookups per batch (resolveStockChangeVariants), then the outbox upsert and the
 * deletion of exactly those event rows in one transaction (applyStockEvents). A crash before that commit
 * leaves the events pending and resolves them again next time; a crash after it leaves outbox rows, which
 * the push drains. Events recorded while a batch resolves stay for the next batch. Used by the push
 * (before it reads the outbox) and by tests that want the outbox filled without pushing.
 */
export async function resolvePendingStockEvents(
  container: MedusaContainer,
  opts: { max_events?: number } = {}
): Promise<ResolveStockEventsOutput> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const max = opts.max_events ?? MAX_EVENTS_PER_RUN
  const total = { events: 0, enqueued: 0 }
  while (total.events < max) {
    const rows = await amazon.listAmazonStockEvents(
      {},
      { select: ["id", "name", "kind", "ref_id", "created_at"], order: { created_at: "ASC" }, take: Math.min(EVENTS_PER_BATCH, max - total.events) }
    )
    if (!rows.length) {
      break
    }
    const items = await resolveStockChangeVariants(container, {
      refs: rows.map((r) => ({ kind: r.kind as StockEventKind, ref_id: r.ref_id, reason: r.name, at: new Date(r.created_at as unknown as string) })),
    })
    const applied = await amazon.applyStockEvents(items, rows.map((r) => r.id))
    total.events += rows.length
    total.enqueued += applied.enqueued
    if (rows.length < EVENTS_PER_BATCH) {
      break
    }
  }
  return total
}

/**
 * The push's first step after its lock: turns the events recorded since the last run into outbox rows,
 * so readStockOutboxStep sees them. Without the lock it does nothing (the run holding it resolves them).
 * No compensation: the outbox rows it wrote are the durable queue; undoing them would lose changes.
 *
 * @example
 * resolveStockEventsStep({ lock })
 */
export const resolveStockEventsStep = createStep(
  resolveStockEventsStepId,
  async (input: ResolveStockEventsStepInput, { container }) => {
    if (!input.lock.acquired) {
      return new StepResponse<ResolveStockEventsOutput>({ events: 0, enqueued: 0 })
    }
    return new StepResponse<ResolveStockEventsOutput>(await resolvePendingStockEvents(container))
  }
)
