import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { MedusaError } from "@medusajs/framework/utils"

/**
 * The manager a repository function runs on: the shared context's `transactionManager` (inside
 * @InjectTransactionManager) or `manager` (inside @InjectManager) of an AmazonModuleService method.
 */
export type SqlManager = SqlEntityManager

/** Rows per JSON parameter of the bulk statements (outbox, feed messages, listing states): a few MB of text each. */
export const BULK_JSON_ROWS = 20_000

/**
 * Runs a statement with real bind parameters ($1, $2 …) on the manager's transaction (or connection).
 * `manager.execute` inlines every parameter into the SQL text first, and pg's escapeLiteral does that one
 * character at a time: for a megabyte of JSON that is a million string concatenations, hundreds of MB of
 * garbage per reconcile.
 */
async function runBound(
  manager: SqlManager,
  sql: string,
  bindings: unknown[]
): Promise<{ rows: any[]; rowCount: number | null }> {
  const knex = manager.getTransactionContext?.() ?? manager.getKnex()
  return knex.raw(sql, bindings as any[]) as unknown as Promise<{ rows: any[]; rowCount: number | null }>
}

/**
 * `update <table> set c = v.c … from json_to_recordset(?) as v(id text, c <type>, …) where <table>.id = v.id`,
 * grouped by the set of columns each row carries: one JSON parameter per BULK_JSON_ROWS rows (a `values`
 * list with a bound parameter per cell made knex rewrite half a million placeholders for a 100,000-SKU
 * push). Column names come from the typed whitelist only; every value travels inside the JSON parameter.
 */
async function bulkUpdateById(
  manager: SqlManager,
  table: string,
  types: Record<string, string>,
  rows: Record<string, unknown>[]
): Promise<number> {
  const groups = new Map<string, { columns: string[]; rows: Record<string, unknown>[] }>()
  for (const row of rows) {
    const columns = Object.keys(row).filter((k) => k !== "id" && row[k] !== undefined)
    for (const c of columns) {
      if (!(c in types)) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `${table}: column "${c}" cannot be bulk-updated`)
      }
    }
    if (!columns.length) continue
    const key = columns.sort().join(",")
    const group = groups.get(key) ?? { columns, rows: [] }
    group.rows.push(row)
    groups.set(key, group)
  }
  let updated = 0
  for (const { columns, rows: groupRows } of groups.values()) {
    const set = columns.map((c) => `"${c}" = v."${c}"`).join(", ")
    const record = ["id text", ...columns.map((c) => `"${c}" ${types[c]}`)].join(", ")
    for (let i = 0; i < groupRows.length; i += BULK_JSON_ROWS) {
      const part = groupRows.slice(i, i + BULK_JSON_ROWS).map((row) => {
        const out: Record<string, unknown> = { id: row.id }
        for (const c of columns) {
          const v = row[c]
          out[c] = v instanceof Date ? v.toISOString() : v
        }
        return out
      })
      const res = await runBound(
        manager,
        `update "${table}" as t set ${set}, updated_at = now()
           from json_to_recordset(?::json) as v(${record})
          where t.id = v.id and t.deleted_at is null`,
        [JSON.stringify(part)]
      )
      updated += Number(res?.rowCount ?? 0)
    }
  }
  return updated
}

/** Shared by the repositories of this folder (an object, not bare functions: see ./index.ts). */
export const sql = {
  runBound,
  bulkUpdateById,
}
