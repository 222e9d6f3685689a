import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../modules/amazon"
import type AmazonModuleService from "../modules/amazon/service"
import { requestStockPushSoon } from "../workflows/stock-push/utils/push-soon"
import { STOCK_CHANGE_EVENTS, stockEventRefs } from "../workflows/stock-push/utils/stock-events"

/**
 * Every event that can change what the store can sell is recorded as it came (amazon_stock_event: the
 * event's name and the ids its payload names) with one insert, and nothing else: no lookups, no batching
 * window, no Amazon call; then it arms the push-soon timer (utils/push-soon.ts), so the change reaches
 * Amazon in seconds. Store events arrive on the checkout's and the admin's path, so this stays a
 * millisecond or two. The push job resolves the recorded events in bulk into the stock outbox
 * (resolveStockEventsStep) before draining it.
 *
 * Handlers called in the same turn of the event loop (a checkout delivers its 3–5 events together, a stock
 * take of 1,000 items 1,000 at once) share that insert: the rows are collected until the current turn
 * ends (setImmediate, no timer) and written in one statement, instead of one connection per event.
 * Each handler resolves once its rows are committed, so a recorded event survives a restart.
 */
type Row = { name: string; kind: string; ref_id: string }

/** Rows per statement: 4 parameters each stays far below PostgreSQL's 65,535. */
const MAX_ROWS = 5000

let rows: Row[] = []
let waiting: (() => void)[] = []
let scheduled = false

async function flush(container: MedusaContainer) {
  const batch = rows
  const done = waiting
  rows = []
  waiting = []
  if (!batch.length) {
    done.forEach((d) => d())
    return
  }
  try {
    await container.resolve<AmazonModuleService>(AMAZON_MODULE).recordStockEvents(batch)
    // Only arms a timer: the push runs a second after the changes stop arriving (push-soon.ts).
    requestStockPushSoon(container)
  } catch (e) {
    // A lost event is healed by the daily reconcile pass; log it so a persistent failure is noticed.
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const names = [...new Set(batch.map((r) => r.name))].join(", ")
    logger.error(`amazon stock events: could not record ${batch.length} event row(s) (${names}): ${(e as { message?: string })?.message ?? String(e)}`)
  } finally {
    done.forEach((d) => d())
  }
}

export default async function amazonStockChangesHandler({ event, container }: SubscriberArgs<unknown>) {
  const refs = stockEventRefs(event.name, event.data)
  if (!refs.length) {
    return
  }
  await new Promise<void>((resolve) => {
    rows.push(...refs.map((r) => ({ name: event.name, kind: r.kind, ref_id: r.ref_id })))
    waiting.push(resolve)
    if (rows.length >= MAX_ROWS) {
      void flush(container)
    } else if (!scheduled) {
      scheduled = true
      setImmediate(() => {
        scheduled = false
        void flush(container)
      })
    }
  })
}

export const config: SubscriberConfig = {
  event: STOCK_CHANGE_EVENTS,
  context: { subscriberId: "amazon-stock-changes" },
}
