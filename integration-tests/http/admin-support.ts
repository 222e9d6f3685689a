import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { randomBytes } from "node:crypto"
import type { SimulatorHandle } from "../../simulator"

/**
 * Keeps the plugin's scheduled jobs from firing mid-test (the tests run the workflows themselves). Read
 * by the jobs when the app loads them, so call it at the top of a spec file. Once a day, 12 hours from
 * now: a cron further away than ~24 days overflows Node's timers and fires at once.
 */
export function quietScheduledJobs() {
  const quiet = new Date(Date.now() + 12 * 3_600_000)
  for (const key of [
    "AMAZON_ORDER_IMPORT_SCHEDULE",
    "AMAZON_STOCK_PUSH_SCHEDULE",
    "AMAZON_FEED_RESULTS_SCHEDULE",
    "AMAZON_STOCK_RECONCILE_SCHEDULE",
    "AMAZON_FBA_SYNC_SCHEDULE",
    "AMAZON_FBA_FULL_SCAN_SCHEDULE",
    "AMAZON_STATUS_SAMPLE_SCHEDULE",
    "AMAZON_BUYER_DATA_SCHEDULE",
    "AMAZON_ORDER_ACTIONS_SCHEDULE",
    "AMAZON_NOTIFICATIONS_SCHEDULE",
    "AMAZON_MCF_SCHEDULE",
  ]) {
    process.env[key] = `${quiet.getMinutes()} ${quiet.getHours()} * * *`
  }
  // and no push a second after each store change (utils/push-soon.ts): the tests push when they choose
  process.env.AMAZON_STOCK_PUSH_DEBOUNCE_MS = "off"
  // nor read-backs of accepted quantities (getListingsItem) counted into the runs' Amazon calls
  process.env.AMAZON_CONFIRM_DELAYS_MS = "off"
}

export const DE = "A1PA6795UKMFR9"
export const FR = "A13V1IB3VIYZZH"
export const US = "ATVPDKIKX0DER"

/** A fresh seller on the simulator (new id per call, so the SP-API client's quota buckets start full). */
export function seedSimSeller(sim: SimulatorHandle, marketplaceIds: string[] = [DE]) {
  const suffix = randomBytes(5).toString("hex").toUpperCase()
  const seller = {
    sellerId: `A${suffix}`,
    clientId: `amzn1.application-oa2-client.${suffix.toLowerCase()}`,
    clientSecret: `sim-secret-${suffix}`,
    refreshToken: `Atzr|sim-refresh-${suffix}`,
    marketplaceIds,
  }
  sim.control.seedSeller(seller)
  return seller
}

/** The body of POST /admin/amazon/accounts for a simulator seller. */
export function accountBody(sim: SimulatorHandle, seller: ReturnType<typeof seedSimSeller>, extra: Record<string, unknown> = {}) {
  return {
    name: `Sim ${seller.sellerId}`,
    region: "EU",
    seller_id: seller.sellerId,
    marketplace_ids: seller.marketplaceIds,
    lwa_client_id: seller.clientId,
    lwa_client_secret: seller.clientSecret,
    refresh_token: seller.refreshToken,
    sp_api_base_url: sim.url,
    lwa_token_url: `${sim.url}/auth/o2/token`,
    ...extra,
  }
}

/** Every line the app logged while a test ran, to check that no secret ever reaches a log. */
export function captureLogs(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as unknown as Record<string, (...a: unknown[]) => unknown>
  const lines: string[] = []
  const spies: jest.SpyInstance[] = []
  for (const level of ["log", "info", "warn", "error", "debug", "activity", "progress", "success", "failure", "panic"]) {
    if (typeof logger[level] === "function") {
      spies.push(
        jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
          lines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "))
          return undefined as never
        })
      )
    }
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream)
    spies.push(
      jest.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        lines.push(String(chunk))
        return (original as any)(chunk, ...rest)
      }) as any)
    )
  }
  return {
    lines,
    restore: () => spies.forEach((s) => s.mockRestore()),
  }
}

/** Calls an admin route and returns the response whatever its status (axios throws on 4xx/5xx). */
export async function call(api: any, method: "get" | "post" | "delete", url: string, body?: unknown, headers?: Record<string, string>) {
  const config = headers ? { headers } : {}
  try {
    return method === "post" ? await api.post(url, body ?? {}, config) : await api[method](url, config)
  } catch (e: any) {
    if (e?.response) return e.response
    throw e
  }
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await fn()
    if (value) return value as T
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
