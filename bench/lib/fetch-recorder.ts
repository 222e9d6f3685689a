/**
 * Records every HTTP call the plugin's SP-API client makes to the simulators (method, path, start, end,
 * status) by wrapping the global fetch before the SP-API client is first used: the SP-API client takes `fetch` when an
 * account's client is built. It changes nothing in the calls; it only gives the benchmark exact call
 * times (the simulator's counters have totals only).
 */
export interface RecordedCall {
  method: string
  /** Path without the query string, e.g. /listings/2021-08-01/items/A1BENCHC/BENCH-C-000001 */
  path: string
  origin: string
  start: number
  end: number
  status: number
}

export class FetchRecorder {
  readonly calls: RecordedCall[] = []
  private origins = new Set<string>()

  install() {
    const original = globalThis.fetch
    const calls = this.calls
    const origins = this.origins
    globalThis.fetch = async function recordedFetch(input: any, init?: any) {
      const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url)
      if (!origins.has(url.origin)) {
        return original(input, init)
      }
      const start = Date.now()
      const method = (init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET")) as string
      try {
        const res = await original(input, init)
        calls.push({ method, path: url.pathname, origin: url.origin, start, end: Date.now(), status: res.status })
        return res
      } catch (e) {
        calls.push({ method, path: url.pathname, origin: url.origin, start, end: Date.now(), status: -1 })
        throw e
      }
    } as typeof fetch
  }

  watch(origin: string) {
    this.origins.add(new URL(origin).origin)
  }

  since(index: number, filter?: (c: RecordedCall) => boolean): RecordedCall[] {
    return this.calls.slice(index).filter((c) => !filter || filter(c))
  }

  mark(): number {
    return this.calls.length
  }
}
