import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { enqueueAmazonStockChangesWorkflow } from "../workflows/stock-push/enqueue-amazon-stock-changes"
import type { StockChangeEvent } from "../workflows/stock-push/steps/resolve-stock-change-variants"
import { STOCK_CHANGE_EVENTS } from "../workflows/stock-push/utils/stock-events"

/**
 * Every event that can change what the store can sell puts the affected variants in the stock outbox.
 * Nothing else happens here (no Amazon call): the push job drains the outbox every minute.
 *
 * Events arriving within a few milliseconds are handled by one workflow run. A stock take of 1,000 items
 * emits 1,000 level events at once; one run per event would hold 1,000 database connections' worth of
 * work for the same result. Each handler still resolves only when its batch is recorded.
 */
const BATCH_WINDOW_MS = 25
const MAX_BATCH = 500

type Waiting = { event: StockChangeEvent; done: () => void }
let waiting: Waiting[] = []
let timer: NodeJS.Timeout | undefined

async function flush(container: MedusaContainer) {
  if (timer) {
    clearTimeout(timer)
    timer = undefined
  }
  const batch = waiting
  waiting = []
  if (!batch.length) {
    return
  }
  try {
    await enqueueAmazonStockChangesWorkflow(container).run({ input: { events: batch.map((w) => w.event) } })
  } catch (e) {
    // A lost event is healed by the daily reconcile pass; log it so a persistent failure is noticed.
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const names = [...new Set(batch.map((w) => w.event.name))].join(", ")
    logger.error(`amazon stock outbox: could not record ${batch.length} event(s) (${names}): ${(e as { message?: string })?.message ?? String(e)}`)
  } finally {
    batch.forEach((w) => w.done())
  }
}

export default async function amazonStockChangesHandler({ event, container }: SubscriberArgs<unknown>) {
  await new Promise<void>((done) => {
    waiting.push({ event: { name: event.name, data: event.data }, done })
    if (waiting.length >= MAX_BATCH) {
      void flush(container)
    } else if (!timer) {
      timer = setTimeout(() => void flush(container), BATCH_WINDOW_MS)
    }
  })
}

export const config: SubscriberConfig = {
  event: STOCK_CHANGE_EVENTS,
  context: { subscriberId: "amazon-stock-changes" },
}
