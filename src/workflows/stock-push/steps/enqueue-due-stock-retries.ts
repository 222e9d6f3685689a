import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import { liveLinksOfListings } from "../utils/stock-queries"

export const enqueueDueStockRetriesStepId = "amazon-enqueue-due-stock-retries"

export interface EnqueueDueStockRetriesStepInput {
  lock: AmazonLock
  /** Defaults to now; tests pass a later time instead of waiting for the backoff. */
  now?: string
}

/**
 * Puts the variants of listings whose rejection is due for a retry back into the outbox. The listing's
 * next_retry_at is cleared only after the outbox row exists, so a crash in between retries twice (harmless:
 * the outbox coalesces) rather than never.
 *
 * @example
 * enqueueDueStockRetriesStep({ lock })
 */
export const enqueueDueStockRetriesStep = createStep(
  enqueueDueStockRetriesStepId,
  async (input: EnqueueDueStockRetriesStepInput, { container }) => {
    if (!input.lock.acquired) {
      return new StepResponse({ retried: 0 })
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const now = input.now ? new Date(input.now) : new Date()
    const due = await amazon.listAmazonListings(
      { next_retry_at: { $lte: now } },
      { select: ["id"], take: 50_000 }
    )
    if (!due.length) {
      return new StepResponse({ retried: 0 })
    }
    const links = await liveLinksOfListings(query, due.map((l) => l.id))
    await amazon.enqueueStockChanges(links.map((l) => ({ variant_id: l.product_variant_id, reason: "retry" })))
    await amazon.updateListingPushStates(due.map((l) => ({ id: l.id, next_retry_at: null })))
    return new StepResponse({ retried: due.length })
  }
)
