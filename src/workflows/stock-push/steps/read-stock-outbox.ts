import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import { toColumns } from "../utils/columns"
import type { Columns } from "../utils/columns"

export const readStockOutboxStepId = "amazon-read-stock-outbox"

export interface ReadStockOutboxStepInput {
  lock: AmazonLock
  /**
   * Rows per run. Default 25,000: one full feed, which bounds a run's memory (a 100,000-SKU reconcile is
   * four runs; the feed quota lets all four feeds go within its 5-minute window).
   */
  limit?: number
}

export interface StockOutboxRow {
  id: string
  variant_id: string
  /** The version read: the row is deleted later only if nobody bumped it meanwhile. */
  version: number
  urgent: boolean
  reason: string
  first_enqueued_at: string
}

/**
 * Reads queued stock changes, urgent ones and the oldest first. Nothing is removed here: rows are
 * deleted by completeStockOutboxStep once their push is recorded. One raw select (readStockOutboxRows):
 * only these six columns cross into the next steps, not ORM entities.
 *
 * @example
 * const rows = readStockOutboxStep({ lock })
 */
export const OUTBOX_ROW_FIELDS: readonly (keyof StockOutboxRow)[] = ["id", "variant_id", "version", "urgent", "reason", "first_enqueued_at"]

export const readStockOutboxStep = createStep(
  readStockOutboxStepId,
  async (input: ReadStockOutboxStepInput, { container }) => {
    if (!input.lock.acquired) {
      return new StepResponse<Columns<StockOutboxRow>>(toColumns([], OUTBOX_ROW_FIELDS))
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const rows = await amazon.readStockOutboxRows(input.limit ?? 25_000)
    return new StepResponse<Columns<StockOutboxRow>>(
      toColumns(
        rows.map((r) => ({
          id: r.id,
          variant_id: r.variant_id,
          version: r.version,
          urgent: r.urgent,
          reason: r.reason,
          first_enqueued_at: new Date(r.first_enqueued_at as unknown as string).toISOString(),
        })),
        OUTBOX_ROW_FIELDS
      )
    )
  }
)
