import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { StockOutboxRow } from "./read-stock-outbox"
import type { Columns } from "../utils/columns"

export const completeStockOutboxStepId = "amazon-complete-stock-outbox"

export interface CompleteStockOutboxStepInput {
  rows: Columns<StockOutboxRow>
  /** listing → variant of every candidate computed in this run (two columns). */
  candidates: Columns<{ listing_id: string; variant_id: string }>
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
    const rows = input.rows.id.length
    if (!rows) {
      return new StepResponse({ completed: 0, kept: 0 })
    }
    const deferredListings = new Set(input.deferred_listing_ids)
    const keep = new Set(input.deferred_variant_ids)
    const { listing_id, variant_id } = input.candidates
    for (let i = 0; i < listing_id.length; i++) {
      if (deferredListings.has(listing_id[i])) {
        keep.add(variant_id[i])
      }
    }
    const done: { id: string; version: number }[] = []
    for (let i = 0; i < rows; i++) {
      if (!keep.has(input.rows.variant_id[i])) {
        done.push({ id: input.rows.id[i], version: input.rows.version[i] })
      }
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const completed = await amazon.completeStockChanges(done)
    return new StepResponse({ completed, kept: rows - completed })
  }
)
