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
