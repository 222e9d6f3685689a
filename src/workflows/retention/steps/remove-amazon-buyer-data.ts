import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { redactBuyerData } from "../../../lib/amazon/orders/redact-buyer-data"
import type { Sql } from "../../shared/medusa-tables"
import { BUYER_DATA_BATCH, BUYER_DATA_CLOSED_STATUSES } from "../constants"

export const removeAmazonBuyerDataStepId = "amazon-remove-buyer-data"

export interface RemoveAmazonBuyerDataStepInput {
  /** ISO time: closed orders whose amazon_updated_at is before it lose their buyer data. */
  cutoff: string
  /** Rows per read + update (default BUYER_DATA_BATCH). */
  batch_size?: number
}

export interface RemoveAmazonBuyerDataStepOutput {
  /** Orders whose payload lost buyer data in this run. */
  redacted: number
  /** Orders that had none left and were only marked (buyer_data_removed_at). */
  marked: number
  /** Fields removed, over all orders. */
  fields: number
}

/**
 * An order is due when it is closed (SHIPPED / CANCELLED / UNFULFILLABLE) since before the cutoff and its
 * payload was not cleaned since it was last written: never cleaned, or written again after the cleaning.
 * The import stores each new version Amazon sends, buyer included; `updated_at` shows that, and the
 * buyer/recipient test catches it even if the app's clock (which sets updated_at on ORM writes) and the
 * database's disagree. Keyset-paged by id.
 */
const SELECT_DUE = `
  select id, payload, updated_at::text as version
    from amazon_order
   where deleted_at is null
     and payload is not null
     and status = any(?::text[])
     and amazon_updated_at < ?
     and (buyer_data_removed_at is null
          or buyer_data_removed_at < updated_at
          or payload->'buyer' is not null
          or payload->'recipient' is not null)
     and id > ?
   order by id
   limit ?`

/**
 * One statement per batch. A row written since it was read (its updated_at moved: the import stored a
 * newer version) is left for the next run rather than overwritten with the older, cleaned version.
 * payload null = unchanged (nothing to remove), only the mark is set. Both times are the same now(), so
 * the row is not due again until something writes it.
 */
const UPDATE_BATCH = `
  update amazon_order as o
     set payload = coalesce(v.payload, o.payload), buyer_data_removed_at = now(), updated_at = now()
    from jsonb_to_recordset(?::jsonb) as v(id text, version text, payload jsonb)
   where o.id = v.id and o.deleted_at is null and o.updated_at = v.version::timestamptz
  returning o.id`

/**
 * Removes buyer data (lib/amazon/orders/redact-buyer-data.ts) from the payloads of Amazon orders closed
 * before the cutoff and sets buyer_data_removed_at, in bulk. Idempotent: a second run finds nothing due.
 * The last step of its workflow and deliberately without compensation: keeping a copy of the data to
 * put it back would defeat the removal, and each batch stands on its own.
 *
 * @example
 * removeAmazonBuyerDataStep({ cutoff: "2026-01-01T00:00:00.000Z" })
 */
export const removeAmazonBuyerDataStep = createStep(
  removeAmazonBuyerDataStepId,
  async (input: RemoveAmazonBuyerDataStepInput, { container }) => {
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    const batch = input.batch_size ?? BUYER_DATA_BATCH
    const out: RemoveAmazonBuyerDataStepOutput = { redacted: 0, marked: 0, fields: 0 }
    let after = ""
    for (;;) {
      const { rows } = (await sql.raw(SELECT_DUE, [[...BUYER_DATA_CLOSED_STATUSES], input.cutoff, after, batch])) as {
        rows: { id: string; payload: unknown; version: string }[]
      }
      if (!rows.length) {
        break
      }
      const updates = rows.map((row) => {
        const { payload, removed } = redactBuyerData(row.payload)
        return { id: row.id, version: row.version, payload: removed.length ? payload : null, removed: removed.length }
      })
      const { rows: written } = (await sql.raw(UPDATE_BATCH, [JSON.stringify(updates)])) as { rows: { id: string }[] }
      // A row skipped because it changed meanwhile is counted by the run that cleans it.
      const done = new Set(written.map((w) => w.id))
      for (const u of updates) {
        if (!done.has(u.id)) {
          continue
        }
        out.fields += u.removed
        if (u.payload === null) {
          out.marked += 1
        } else {
          out.redacted += 1
        }
      }
      after = rows[rows.length - 1].id
      if (rows.length < batch) {
        break
      }
    }
    return new StepResponse(out)
  }
)
