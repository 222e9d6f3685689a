import { MedusaContainer } from "@medusajs/framework/types"
import { resolvePendingStockEvents } from "../../src/workflows/stock-push/steps/resolve-stock-events"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { randomBytes } from "node:crypto"
import { startSimulator, SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import type { AccountSettings } from "../../src/types/account-settings"
import { processAmazonFeedResultsWorkflow } from "../../src/workflows/stock-push/process-amazon-feed-results"
import { pushAmazonStockWorkflow, PushAmazonStockWorkflowInput } from "../../src/workflows/stock-push/push-amazon-stock"
import { reconcileAmazonStockWorkflow } from "../../src/workflows/stock-push/reconcile-amazon-stock"

export const DE = "A1PA6795UKMFR9"

/**
 * The simulator for a test file, on real time: its quotas and x-amzn-RateLimit-Limit headers are then
 * Amazon's own numbers, which the plugin's SP-API client paces to. Tests move the clock (settleFeeds) instead of
 * waiting for feeds.
 */
export function startStockSimulator(): Promise<SimulatorHandle> {
  return startSimulator({ timeScale: 1, feedTiming: { queueMs: 500, processingMs: 1000 } })
}

/**
 * A seller on the simulator and the matching Medusa account. The seller id is new on every call, so the
 * quota buckets of the plugin's SP-API client (kept per seller in memory or Redis) start full in every test.
 */
export async function createSimAccount(
  container: MedusaContainer,
  sim: SimulatorHandle,
  settings: AccountSettings = {}
) {
  const suffix = randomBytes(5).toString("hex").toUpperCase()
  const seller = {
    sellerId: `A${suffix}`,
    clientId: `amzn1.application-oa2-client.${suffix.toLowerCase()}`,
    clientSecret: `secret-${suffix}`,
    refreshToken: `Atzr|${suffix}`,
    marketplaceIds: [DE],
  }
  sim.control.seedSeller(seller)
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [account] = await amazon.createAccounts([
    {
      name: `Sim ${suffix}`,
      region: "EU",
      seller_id: seller.sellerId,
      marketplace_ids: [DE],
      lwa_client_id: seller.clientId,
      lwa_client_secret: seller.clientSecret,
      refresh_token: seller.refreshToken,
      sp_api_base_url: sim.url,
      lwa_token_url: `${sim.url}/auth/o2/token`,
      settings: settings as Record<string, unknown>,
    },
  ])
  return { account, sellerId: seller.sellerId }
}

/** Creates our listings and links each to its variant (what the admin mapping screen does). */
export async function mapListings(
  container: MedusaContainer,
  accountId: string,
  items: { variant_id: string; sku: string; fulfillment_channel?: "MERCHANT" | "AMAZON"; rules?: Record<string, number> }[]
) {
  // The events of just-created products and stock are still being recorded by the subscriber: let them
  // finish first, so that they do not queue these variants a moment after the test's own steps.
  await new Promise((r) => setTimeout(r, 500))
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const listings = await amazon.createAmazonListings(
    items.map((i) => ({
      account_id: accountId,
      marketplace_id: DE,
      seller_sku: i.sku,
      fulfillment_channel: i.fulfillment_channel ?? "MERCHANT",
      rules: i.rules ?? null,
    }))
  )
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  await link.create(
    listings.map((l, i) => ({
      [AMAZON_MODULE]: { amazon_listing_id: l.id },
      product: { product_variant_id: items[i].variant_id },
    }))
  )
  return Object.fromEntries(listings.map((l) => [l.seller_sku, l]))
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) {
      return value
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Waits until the subscribers have queued every one of these variants. */
export async function waitForOutbox(container: MedusaContainer, variantIds: string[], timeoutMs = 30_000) {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  return waitFor(
    `outbox rows for ${variantIds.length} variant(s)`,
    async () => {
      // The subscriber only records events; the push resolves them first. Do that step here, so tests can
      // look at the outbox before pushing.
      await resolvePendingStockEvents(container)
      const rows = await amazon.listAmazonStockOutboxes({ variant_id: variantIds }, { take: variantIds.length + 1 })
      return rows.length === variantIds.length ? rows : undefined
    },
    timeoutMs
  )
}

export async function runPush(container: MedusaContainer, input: PushAmazonStockWorkflowInput = {}) {
  const { result } = await pushAmazonStockWorkflow(container).run({ input })
  return result
}

export async function runResults(container: MedusaContainer, input: { now?: string } = {}) {
  const { result } = await processAmazonFeedResultsWorkflow(container).run({ input })
  return result
}

export async function runReconcile(container: MedusaContainer) {
  const { result } = await reconcileAmazonStockWorkflow(container).run({ input: {} })
  return result
}

/** Lets the simulator finish every queued feed, then records their reports (as the results job would). */
export async function settleFeeds(container: MedusaContainer, sim: SimulatorHandle) {
  sim.control.advanceClock(60_000)
  let total = { polled: 0, reports: 0, accepted: 0, errors: 0, retried: 0, amazon_calls: 0 }
  for (let i = 0; i < 10; i++) {
    const r = await runResults(container)
    total = {
      polled: total.polled + r.polled,
      reports: total.reports + r.reports,
      accepted: total.accepted + r.accepted,
      errors: total.errors + r.errors,
      retried: total.retried + r.retried,
      amazon_calls: total.amazon_calls + r.amazon_calls,
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const open = await amazon.listAmazonFeeds({ status: ["submitted", "IN_QUEUE", "IN_PROGRESS", "DONE", "FATAL", "CANCELLED"] })
    if (!open.length) break
    sim.control.advanceClock(60_000)
  }
  return total
}

/** SP-API calls the simulator counted, summed over operations (optionally only some). */
export function simCalls(sim: SimulatorHandle, filter?: (operation: string) => boolean) {
  const counters = sim.control.counters()
  let calls = 0
  for (const [op, c] of Object.entries(counters)) {
    if (!filter || filter(op)) calls += c.calls
  }
  return { calls, counters }
}
