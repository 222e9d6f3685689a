/**
 * Rows as one array per field, for the large lists the stock push hands from step to step (up to 25,000
 * outbox rows and computed listings per run).
 *
 * Why: Medusa's workflow SDK copies a step's input, and the whole output behind any `output.field`
 * reference, object by object (resolveValue / unwrapInput); for 50,000 objects of a dozen fields that was
 * a third of a 100,000-SKU reconcile's allocations (1 of 2.9 GB), several copies per run. An array of strings or numbers is copied as
 * one array. Steps turn columns back into objects once, where they use them.
 */
export type Columns<T> = { [K in keyof T]-?: T[K][] }

export function toColumns<T extends object>(rows: readonly T[], keys: readonly (keyof T)[]): Columns<T> {
  const cols = {} as Columns<T>
  for (const key of keys) {
    const col = new Array(rows.length)
    for (let i = 0; i < rows.length; i++) {
      col[i] = rows[i][key]
    }
    cols[key] = col
  }
  return cols
}

export function columnLength<T extends object>(cols: Columns<T>): number {
  for (const key in cols) {
    return (cols[key] as unknown[]).length
  }
  return 0
}

export function fromColumns<T extends object>(cols: Columns<T>): T[] {
  const keys = Object.keys(cols) as (keyof T)[]
  const n = columnLength(cols)
  const rows = new Array<T>(n)
  for (let i = 0; i < n; i++) {
    const row = {} as T
    for (const key of keys) {
      row[key] = cols[key][i]
    }
    rows[i] = row
  }
  return rows
}
