import type { Sql } from "../shared/medusa-tables"

/** Tables of the module that retention prunes by a time column (a whitelist: the names go into the SQL text). */
const PRUNABLE = { amazon_listing_patch: "sent_at", amazon_notification: "received_at" } as const

/**
 * Hard-deletes the rows of `table` older than `cutoff`, the oldest first, `batch` per statement (a statement
 * stays short even after a long outage of the job). Returns how many.
 */
export async function pruneOlderThan(sql: Sql, table: keyof typeof PRUNABLE, cutoff: string, batch: number): Promise<number> {
  const column = PRUNABLE[table]
  const statement = `delete from ${table} where id in (select id from ${table} where ${column} < ? order by ${column} limit ?)`
  let pruned = 0
  for (;;) {
    const res = (await sql.raw(statement, [cutoff, batch])) as { rowCount?: number | null }
    const deleted = Number(res.rowCount ?? 0)
    pruned += deleted
    if (deleted < batch) return pruned
  }
}
