import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { StockOutboxRow } from "./read-stock-outbox"

export const completeStockOutboxStepId = "amazon-complete-stock-outbox"

export interface CompleteStockOutboxStepInput {
  rows: StockOutboxRow[]
  /** listing → variant of every candidate computed in this run. */
  candidates: { listing_id: string; variant_id: string }[]
  /** Listings whose change was not sent (quota, Amazon failure). */
  deferred_listing_ids: string[]
  /** Variants that could not be computed at all. */
  deferred_variant_ids: string[]
}

/**
 * Deletes the outbox rows whose push is recorded: every listing of the variant was skipped, patched,
 * rejected (kept in error) or put in a submitted feed. A row stays when any of its listings was deferred,
 * and a row whose version moved since it was read (a new event meanwhile) stays too, inside
 * completeStockChanges (one join against a JSON parameter per 20,000 rows). Runs last, so a crash
 * anywhere before it loses nothing.
 *
 * @example
 * completeStockOutboxStep({ rows, candidates, deferred_listing_ids: [], deferred_variant_ids: [] })
 */
export const completeStockOutboxStep = createStep(
  completeStockOutboxStepId,
  async (input: CompleteStockOutboxStepInput, { container }) => {
    if (!input.rows.length) {
      return new StepResponse({ completed: 0, kept: 0 })
    }
    const deferredListings = new Set(input.deferred_listing_ids)
    const keep = new Set(input.deferred_variant_ids)
    for (const c of input.candidates) {
      if (deferredListings.has(c.listing_id)) {
        keep.add(c.variant_id)
      }
    }
    const done = input.rows.filter((r) => !keep.has(r.variant_id))
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const completed = await amazon.completeStockChanges(done.map((r) => ({ id: r.id, version: r.version })))
    return new StepResponse({ completed, kept: input.rows.length - completed })
  }
)
