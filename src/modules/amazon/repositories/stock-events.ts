import { generateEntityId } from "@medusajs/framework/utils"
import { SqlManager } from "./sql"

/** amazon_stock_event: store events recorded as they came, waiting for the push to resolve them. */

export type StockEventInput = { name: string; kind: string; ref_id: string }

/**
 * One multi-row insert, no lookups, no upsert: this is all the subscriber does, so it must stay a single
 * cheap statement. A single statement is atomic on its own, so callers need no transaction (no
 * BEGIN/COMMIT round trips on the checkout's path).
 */
async function insertStockEvents(manager: SqlManager, events: StockEventInput[]): Promise<number> {
  if (!events.length) {
    return 0
  }
  const values: unknown[] = []
  const rows = events.map((e) => {
    values.push(generateEntityId(undefined, "amzsev"), e.name, e.kind, e.ref_id)
    return "(?, ?, ?, ?)"
  })
  await manager.execute(`insert into amazon_stock_event (id, name, kind, ref_id) values ${rows.join(", ")}`, values, "run")
  return events.length
}

/** Deletes exactly the resolved event rows (10,000 ids per statement); events recorded meanwhile stay. */
async function deleteStockEvents(manager: SqlManager, eventIds: string[]): Promise<number> {
  let deleted = 0
  for (let i = 0; i < eventIds.length; i += 10000) {
    const part = eventIds.slice(i, i + 10000)
    const res: any = await manager.execute(`delete from amazon_stock_event where id in (${part.map(() => "?").join(", ")})`, part, "run")
    deleted += Number(res?.affectedRows ?? res?.rowCount ?? 0)
  }
  return deleted
}

export const stockEventsRepository = {
  insert: insertStockEvents,
  delete: deleteStockEvents,
}
