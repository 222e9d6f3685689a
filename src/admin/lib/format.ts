import { MARKETPLACES } from "../../lib/amazon/endpoints"

export { MARKETPLACES }

/** "Amazon.de (DE)" for a known marketplace id, the id otherwise. */
export function marketplaceName(id: string): string {
  const m = MARKETPLACES[id]
  return m ? `${m.name}` : id
}

/** "3 min ago", "2 h ago", "just now"; "never" for null. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never"
  const s = Math.round((now - Date.parse(iso)) / 1000)
  if (s < 0) return `in ${duration(-s)}`
  if (s < 10) return "just now"
  return `${duration(s)} ago`
}

/** A duration in seconds as "45 s", "12 min", "3 h 5 min", "2 d". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "–"
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`
  return `${Math.floor(h / 24)} d`
}

/**
 * An order's age against Amazon's latest ship-by time: "ship by in 21 h" / "ship-by passed 2 h ago"; late
 * when less than 6 hours are left or the time passed. Null without a ship-by time.
 */
export function shipByText(shipBy: string | null | undefined, now = Date.now()): { text: string; late: boolean } | null {
  if (!shipBy) return null
  const s = Math.round((Date.parse(shipBy) - now) / 1000)
  return s >= 0 ? { text: `ship by in ${duration(s)}`, late: s < 6 * 3600 } : { text: `ship-by passed ${duration(-s)} ago`, late: true }
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "–"
  return new Date(iso).toLocaleString()
}

/** The message of an SDK error (FetchError carries the server's message). */
export function errorMessage(e: unknown): string {
  return (e as { message?: string })?.message ?? String(e)
}

/** The HTTP status of an SDK error (FetchError carries it), e.g. 409 for "already running". */
export function errorStatus(e: unknown): number | undefined {
  return (e as { status?: number })?.status
}

const plural = (n: number, unit: string) => (n === 1 ? `every ${unit}` : `every ${n} ${unit}s`)

/** n for "*" (1) and "*\/n" (n ≥ 1); undefined for anything else. */
function step(field: string): number | undefined {
  if (field === "*") return 1
  const m = /^\*\/(\d+)$/.exec(field)
  const n = m ? Number(m[1]) : NaN
  return n >= 1 ? n : undefined
}

/** A plain number within [0, max]; undefined for lists, ranges and steps. */
function fixed(field: string, max: number): number | undefined {
  if (!/^\d+$/.test(field)) return undefined
  const n = Number(field)
  return n <= max ? n : undefined
}

const pad = (n: number) => String(n).padStart(2, "0")

/**
 * A job's cron schedule in words, for the shapes the plugin's jobs use: "every 5 seconds", "every 2 minutes",
 * "every hour", "daily at 03:00" (the server's clock). Five fields, or six with seconds first (Medusa accepts
 * both). Any other shape comes back as the cron itself, so the words never claim a schedule they did not read.
 */
export function cronInWords(cron: string): string {
  const parts = cron.trim().split(/\s+/)
  if (parts.length === 6) {
    const [sec, ...rest] = parts
    const everyDay = rest.every((f) => f === "*")
    const n = step(sec)
    if (everyDay && n !== undefined) return plural(n, "second")
    // "0 <five fields>" runs at the start of each minute it names: the same as the five-field form.
    if (fixed(sec, 59) !== 0) return cron
    return fiveFields(rest, cron)
  }
  if (parts.length === 5) return fiveFields(parts, cron)
  return cron
}

function fiveFields([min, hour, dom, month, dow]: string[], cron: string): string {
  if (dom !== "*" || month !== "*" || dow !== "*") return cron
  const everyMinutes = step(min)
  if (everyMinutes !== undefined && hour === "*") return plural(everyMinutes, "minute")
  const m = fixed(min, 59)
  if (m === undefined) return cron
  const everyHours = step(hour)
  if (everyHours !== undefined) return plural(everyHours, "hour") + (m ? ` at :${pad(m)}` : "")
  const h = fixed(hour, 23)
  if (h !== undefined) return `daily at ${pad(h)}:${pad(m)}`
  return cron
}

/**
 * The words of a DataTable's pagination. Medusa UI replaces its defaults with the object given (a partial
 * one shows "1 — 3 undefined 3 listings" and blank Prev/Next), so every word is set here.
 */
export function paginationWords(results: string) {
  return { of: "of", results, pages: "pages", prev: "Prev", next: "Next" }
}
