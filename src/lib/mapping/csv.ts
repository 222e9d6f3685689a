/**
 * CSV for the listing ↔ variant mapping file (export and import). Pure: no Medusa imports, no I/O.
 *
 * Reading uses csv-parse (adaltas/node-csv, the parser Medusa's own product import uses, so it is installed
 * with @medusajs/core-flows): quoted fields with commas, doubled quotes and line breaks are where a
 * hand-written parser goes wrong. Writing is a dozen lines (quote a field when it holds a quote, a comma, a
 * semicolon or a line break; double the quotes: RFC 4180 §2.6–2.7), so it has no library.
 */
import { parse } from "csv-parse/sync"

export class CsvFormatError extends Error {
  readonly code = "INVALID_CSV"
}

/** Characters a spreadsheet reads as the start of a formula when a cell begins with them. */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One field as RFC 4180 writes it. `neutralizeFormula` prefixes a cell a spreadsheet would run as a
 * formula with an apostrophe (OWASP's advice for CSV injection): used for text that does not come from
 * the merchant (Amazon's item name may be written by other contributors of a shared ASIN).
 */
export function csvField(value: string | number | null | undefined, neutralizeFormula = false): string {
  let s = value === null || value === undefined ? "" : String(value)
  if (neutralizeFormula && FORMULA_START.test(s)) {
    s = `'${s}`
  }
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * A whole file: header + rows, CRLF line ends (RFC 4180 §2.1). The columns named in `neutralize` get
 * csvField's formula guard.
 */
export function writeCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
  neutralize: readonly string[] = []
): string {
  const guard = header.map((h) => neutralize.includes(h))
  const lines = [header.map((h) => csvField(h)), ...rows.map((r) => r.map((v, i) => csvField(v, guard[i])))]
  return lines.map((r) => r.join(",")).join("\r\n") + "\r\n"
}

/**
 * The delimiter of a file: a comma, or a semicolon when the header line has semicolons and no comma
 * (spreadsheets set to a German or French locale save "CSV" with semicolons).
 */
export function sniffDelimiter(text: string): "," | ";" {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? ""
  return firstLine.includes(";") && !firstLine.includes(",") ? ";" : ","
}

export interface ParsedCsv {
  /** Header names, trimmed and lower-cased. */
  header: string[]
  /** Data rows with their 1-based line number in the file (the header is line 1). */
  rows: { line: number; cells: Record<string, string> }[]
}

/**
 * Parses a file with a header line. Blank lines are skipped; a byte-order mark is ignored; cells are
 * trimmed. A row with more cells than the header, an unclosed quote or an empty header is a
 * CsvFormatError naming the line. Stops with an error past `maxRows` data rows.
 */
export function parseCsv(text: string, opts: { maxRows: number }): ParsedCsv {
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, {
      bom: true,
      delimiter: sniffDelimiter(text),
      skip_empty_lines: true,
      relax_column_count_less: true,
      trim: true,
      info: true,
      // one more than allowed, so "too many rows" can be told apart from "exactly the maximum"
      to: opts.maxRows + 2,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (e) {
    const err = e as { message?: string; lines?: number }
    throw new CsvFormatError(`The file is not valid CSV${err.lines ? ` (line ${err.lines})` : ""}: ${err.message ?? String(e)}`)
  }
  if (!records.length) {
    throw new CsvFormatError("The file is empty: it needs a header line and at least one row.")
  }
  const header = records[0].record.map((h) => h.toLowerCase())
  if (header.some((h) => !h)) {
    throw new CsvFormatError("The header line has an empty column name.")
  }
  const dup = header.find((h, i) => header.indexOf(h) !== i)
  if (dup) {
    throw new CsvFormatError(`The header line names the column "${dup}" twice.`)
  }
  if (records.length - 1 > opts.maxRows) {
    throw new CsvFormatError(`The file has more than ${opts.maxRows} rows; split it into smaller files.`)
  }
  const rows = records.slice(1).map(({ record, info }) => {
    const cells: Record<string, string> = {}
    header.forEach((h, i) => (cells[h] = record[i] ?? ""))
    // info.lines is the line the record ends on; a record with a quoted line break starts earlier, but
    // the end line is the one a spreadsheet user can still find.
    return { line: info.lines, cells }
  })
  return { header, rows }
}
