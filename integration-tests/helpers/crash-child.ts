/**
 * One life of a store process for the crash test (integration-tests/http/order-lifecycle-crash.spec.ts),
 * started by the spec with `ts-node --transpile-only` and its environment (see CrashChildEnv):
 *
 * 1. Boots Medusa with the plugin the way `medusa start` does (demo/stack.ts's loaders), against the
 *    spec's database and its simulator (which lives in the parent, so Amazon's state survives this
 *    process), with the Locking Module in memory or on Redis (`@medusajs/medusa/locking-redis`).
 * 2. The first child creates the store (a warehouse, four products with 100 units each, the Amazon
 *    account and its listings) and pushes the stock once.
 *    Every later child first recovers the page its predecessor died in: it runs the order import as the
 *    scheduled job would (again, one second apart, while a run is kept out by a lock), then runs the
 *    stock push once — never the reconcile — and reports what the store and Amazon hold right then.
 * 3. Unless it is the last child, it adds a page of new orders to the simulator (three unshipped and one
 *    shipped merchant-fulfilled order over the four SKUs), wraps the service method of its kill point,
 *    and runs the import: the first matching call of that method sends this process SIGKILL. Only this
 *    process's service instances are wrapped; nothing in src changes.
 *
 * Every fact goes to the report file as one JSON line (see ReportLine), written synchronously.
 */
import "./quiet-jobs"

import { appendFileSync, readFileSync } from "node:fs"
import path from "node:path"
import type { IInventoryService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow, createStockLocationsWorkflow } from "@medusajs/medusa/core-flows"
import { AMAZON_ORDER_METADATA_KEY } from "../../src/lib/amazon/orders"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { importAmazonOrders } from "../../src/workflows/order-import/import-amazon-orders"
import { pushAmazonStockWorkflow } from "../../src/workflows/stock-push/push-amazon-stock"
import {
  CRASH_SKUS,
  isKillPoint,
  KILL_POINTS,
  STOCK_PER_SKU,
  type CrashSeller,
  type ImportRun,
  type KillPoint,
  type PageOrder,
  type ReportLine,
  type SeededStore,
  type StoreSnapshot,
} from "./crash-protocol"

const ROOT = path.resolve(__dirname, "../..")
const env = process.env
const reportFile = required("CRASH_REPORT_FILE")
const simUrl = required("CRASH_SIM_URL")
const seller = JSON.parse(required("CRASH_SELLER")) as CrashSeller
const round = env.CRASH_ROUND ? Number(env.CRASH_ROUND) : null
const killPoint = env.CRASH_KILL_POINT
const recoveryLimitMs = Number(env.CRASH_RECOVERY_LIMIT_MS ?? 150_000)

function required(name: string): string {
  const value = env[name]
  if (!value) {
    throw new Error(`crash-child: ${name} is not set`)
  }
  return value
}

function report(line: ReportLine) {
  appendFileSync(reportFile, `${JSON.stringify(line)}\n`)
}

function readReport(): ReportLine[] {
  return readFileSync(reportFile, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ReportLine)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The simulator's control API (the simulator runs in the spec's process). */
async function sim<T>(method: "GET" | "POST", route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${simUrl}${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) {
    throw new Error(`simulator ${method} ${route}: ${res.status} ${text}`)
  }
  return (text ? JSON.parse(text) : undefined) as T
}

/**
 * The Locking Module on Redis for this process: the app's configuration (medusa-config.ts) is loaded
 * first and its locking entry replaced, so the loader below finds it in Node's module cache. The key
 * namespace is the test run's own.
 */
function useRedisLocking() {
  const loaded = require(path.join(ROOT, "medusa-config"))
  const config = (loaded.default ?? loaded) as { modules: Record<string, unknown> }
  config.modules[Modules.LOCKING] = {
    resolve: "@medusajs/medusa/locking",
    options: {
      providers: [
        {
          id: "locking-redis",
          resolve: "@medusajs/medusa/locking-redis",
          is_default: true,
          options: { redisUrl: required("CRASH_REDIS_URL"), namespace: required("CRASH_REDIS_NAMESPACE") },
        },
      ],
    },
  }
}

async function boot(): Promise<MedusaContainer> {
  if (env.CRASH_LOCKING === "redis") {
    useRedisLocking()
  }
  const express = require("express")
  const loaders = require("@medusajs/medusa/loaders/index").default
  const { container } = await loaders({ directory: ROOT, expressApp: express() })
  return container
}

async function seedStore(container: MedusaContainer): Promise<SeededStore> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const {
    result: [warehouse],
  } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Crash test warehouse" }] } })
  const [account] = await amazon.createAccounts([
    {
      name: "Crash test",
      region: "EU",
      seller_id: seller.sellerId,
      marketplace_ids: [seller.marketplaceId],
      lwa_client_id: seller.clientId,
      lwa_client_secret: seller.clientSecret,
      refresh_token: seller.refreshToken,
      sp_api_base_url: simUrl,
      lwa_token_url: `${simUrl}/auth/o2/token`,
    },
  ])
  const store: SeededStore = { account_id: account.id, location_id: warehouse.id, skus: {} }
  for (const sku of CRASH_SKUS) {
    const {
      result: [product],
    } = await createProductsWorkflow(container).run({
      input: {
        products: [
          {
            title: `Product ${sku}`,
            status: "published",
            options: [{ title: "Size", values: ["One"] }],
            variants: [{ title: "One", sku, manage_inventory: true, options: { Size: "One" }, prices: [{ currency_code: "eur", amount: 25 }] }],
          },
        ],
      },
    })
    const variantId = product.variants[0].id
    const { data } = await query.graph({ entity: "product_variant", fields: ["id", "inventory_items.inventory_item_id"], filters: { id: variantId } })
    const itemId = (data[0] as { inventory_items: { inventory_item_id: string }[] }).inventory_items[0].inventory_item_id
    await inventory.createInventoryLevels([{ inventory_item_id: itemId, location_id: warehouse.id, stocked_quantity: STOCK_PER_SKU }])
    const listing = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: seller.marketplaceId, seller_sku: sku })
    await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, [Modules.PRODUCT]: { product_variant_id: variantId } })
    store.skus[sku] = { variant_id: variantId, inventory_item_id: itemId }
  }
  // The subscriber records the new stock as events; let it finish before the push resolves them.
  await sleep(1000)
  return store
}

async function push(container: MedusaContainer) {
  const { result } = await pushAmazonStockWorkflow(container).run({ input: {} })
  return result
}

async function snapshot(container: MedusaContainer, store: SeededStore, amazonOrderIds: string[], pushed: StoreSnapshot["push"]): Promise<StoreSnapshot> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const inventory = container.resolve<IInventoryService>(Modules.INVENTORY)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const sql = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const out: StoreSnapshot = { orders: {}, levels: {}, amazon: {}, outbox_left: 0, push: pushed }
  // Read Amazon's side first: nothing in this process changes it after the push.
  out.amazon = await sim<Record<string, number | null>>("GET", `/_sim/quantities?sellerId=${encodeURIComponent(seller.sellerId)}`)
  const levels = await inventory.listInventoryLevels({
    inventory_item_id: Object.values(store.skus).map((s) => s.inventory_item_id),
    location_id: store.location_id,
  })
  for (const [sku, { inventory_item_id }] of Object.entries(store.skus)) {
    const level = levels.find((l) => l.inventory_item_id === inventory_item_id)
    out.levels[sku] = { stocked: Number(level?.stocked_quantity ?? NaN), reserved: Number(level?.reserved_quantity ?? NaN) }
  }
  out.outbox_left = (await amazon.listAmazonStockOutboxes({}, { select: ["id"], take: 1000 })).length
  if (!amazonOrderIds.length) {
    return out
  }
  const records = await amazon.listAmazonOrders(
    { amazon_order_id: amazonOrderIds },
    { select: ["id", "amazon_order_id", "import_status", "order_id", "attention_reason"] }
  )
  // Every Medusa order that names the Amazon order (the batch writes the id into the order's metadata).
  const { rows } = (await sql.raw(
    `select id, metadata->>'${AMAZON_ORDER_METADATA_KEY}' as amazon_order_id from "order"
     where deleted_at is null and metadata->>'${AMAZON_ORDER_METADATA_KEY}' = any(?)`,
    [amazonOrderIds]
  )) as { rows: { id: string; amazon_order_id: string }[] }
  const orderIds = rows.map((r) => r.id)
  const { data: orders } = orderIds.length
    ? await query.graph({ entity: "order", fields: ["id", "items.id", "items.quantity", "items.detail.quantity", "items.detail.fulfilled_quantity", "items.variant_sku", "fulfillments.canceled_at", "fulfillments.items.quantity"], filters: { id: orderIds } })
    : { data: [] as unknown[] }
  type Item = { id: string; quantity: unknown; detail?: { quantity: unknown; fulfilled_quantity?: unknown } | null; variant_sku: string | null }
  type Fulfillment = { canceled_at?: unknown; items?: { quantity: unknown }[] | null }
  const typed = orders as { id: string; items: Item[]; fulfillments?: (Fulfillment | null)[] | null }[]
  const items = typed.flatMap((o) =>
    (o.items ?? []).map((i) => ({
      order_id: o.id,
      id: i.id,
      variant_sku: i.variant_sku,
      quantity: quantityOf(i.quantity) ?? quantityOf(i.detail?.quantity),
      fulfilled: Number(i.detail?.fulfilled_quantity ?? 0),
    }))
  )
  const fulfillmentsOf = new Map(
    typed.map((o) => [
      o.id,
      (o.fulfillments ?? []).filter((f): f is Fulfillment => !!f && !f.canceled_at).map((f) => (f.items ?? []).reduce((n, i) => n + Number(i.quantity), 0)),
    ])
  )
  const reservations = items.length ? await inventory.listReservationItems({ line_item_id: items.map((i) => i.id) }, { take: 10_000 }) : []
  for (const id of amazonOrderIds) {
    const mine = rows.filter((r) => r.amazon_order_id === id).map((r) => r.id)
    out.orders[id] = {
      records: records
        .filter((r) => r.amazon_order_id === id)
        .map((r) => ({ id: r.id, import_status: r.import_status as string, order_id: r.order_id ?? null, attention_reason: r.attention_reason ?? null })),
      medusa_order_ids: mine,
      line_items: items
        .filter((i) => mine.includes(i.order_id))
        .map((i) => ({
          id: i.id,
          sku: i.variant_sku ?? "",
          quantity: i.quantity ?? NaN,
          reservations: reservations.filter((r) => r.line_item_id === i.id).map((r) => Number(r.quantity)),
          fulfilled: i.fulfilled,
        })),
      fulfillments: mine.flatMap((orderId) => fulfillmentsOf.get(orderId) ?? []),
    }
  }
  return out
}

/** A quantity as Medusa returns it: a number, a numeric string or a BigNumber ({ numeric }). */
function quantityOf(value: unknown): number | null {
  const n = Number((value as { numeric?: unknown } | null)?.numeric ?? value)
  return value === null || value === undefined || !Number.isFinite(n) ? null : n
}

/** The next push summary fields the report keeps. */
function pushSummary(result: Awaited<ReturnType<typeof push>>): StoreSnapshot["push"] {
  return { patched: result.patched, fed: result.fed, candidates: result.candidates, outbox_rows: result.outbox_rows }
}

async function runImport(container: MedusaContainer, accountId: string): Promise<ImportRun> {
  // Amazon's searchOrders bucket refills one call per ~3 minutes: each run of this test gets a full one.
  await sim("POST", "/_sim/quotas/refill")
  const started_at = Date.now()
  try {
    const result = await importAmazonOrders(container, { account_id: accountId, wait_for_quota: true })
    return {
      started_at,
      ended_at: Date.now(),
      ran: result.ran,
      reason: result.reason,
      marketplaces: result.marketplaces.map(({ status, orders, imported, pending, skipped, needs_attention, failed }) => ({
        status,
        orders,
        imported,
        pending,
        skipped,
        needs_attention,
        failed,
      })),
    }
  } catch (e) {
    return { started_at, ended_at: Date.now(), ran: false, error: (e as Error)?.message ?? String(e) }
  }
}

/**
 * Runs the import as the scheduled job would after a restart, until the orders the previous child died
 * with are all recorded as imported (or the limit passes): a run kept out by a lock is tried again a
 * second later.
 */
async function recover(container: MedusaContainer, store: SeededStore, orderIds: string[]): Promise<ImportRun[]> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const until = Date.now() + recoveryLimitMs
  const runs: ImportRun[] = []
  for (;;) {
    const run = await runImport(container, store.account_id)
    runs.push(run)
    const records = await amazon.listAmazonOrders({ amazon_order_id: orderIds }, { select: ["amazon_order_id", "import_status"] })
    const done = run.ran && orderIds.every((id) => records.some((r) => r.amazon_order_id === id && r.import_status === "imported"))
    if (done || Date.now() >= until) {
      return runs
    }
    await sleep(1000)
  }
}

/**
 * A page of four new merchant-fulfilled orders over the four SKUs: three unshipped (reserved in the
 * store) and one Amazon already reports shipped (its units leave the stocked quantity). Updated "now" on
 * Amazon's clock, which then moves past the two minutes Amazon waits before serving an order.
 */
async function seedPage(): Promise<PageOrder[]> {
  const [a, b, c, d] = CRASH_SKUS
  const page: { status: PageOrder["status"]; items: [string, number][] }[] = [
    { status: "UNSHIPPED", items: [[a, 2], [b, 1]] },
    { status: "UNSHIPPED", items: [[c, 3]] },
    { status: "UNSHIPPED", items: [[d, 1], [a, 1]] },
    { status: "SHIPPED", items: [[b, 2], [c, 1]] },
  ]
  const { now } = await sim<{ now: string }>("GET", "/_sim/clock")
  const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z")
  const seeded = await sim<{ orderId: string }[]>(
    "POST",
    "/_sim/orders",
    page.map((o) => ({
      sellerId: seller.sellerId,
      createdTime: at,
      lastUpdatedTime: at,
      fulfillmentStatus: o.status,
      orderItems: o.items.map(([sellerSku, quantityOrdered]) => ({ sellerSku, quantityOrdered, unitPrice: "19.90" })),
    }))
  )
  await sim("POST", "/_sim/clock/advance", { ms: 130_000 })
  return seeded.map((s, i) => ({ amazon_order_id: s.orderId, status: page[i].status, items: page[i].items.map(([sku, quantity]) => ({ sku, quantity })) }))
}

/** Whether a call of the kill point's method is the one to die at (the method is shared with other work). */
function matches(point: KillPoint, args: unknown[]): boolean {
  if (point === "batch-locks" || point === "before-release") {
    // The batch takes and releases its per-order keys in one call; the job lock takes one string key.
    return Array.isArray(args[0]) && (args[0] as unknown[]).some((k) => String(k).startsWith("amazon-order:"))
  }
  if (point === "record-links") {
    const links = (Array.isArray(args[0]) ? args[0] : [args[0]]) as Record<string, Record<string, unknown> | undefined>[]
    return links.some((l) => !!l?.[AMAZON_MODULE]?.amazon_order_id)
  }
  return true
}

function die(): never {
  process.kill(process.pid, "SIGKILL")
  // SIGKILL to oneself is delivered before kill() returns; never reached.
  throw new Error("SIGKILL did not stop the process")
}

/** Wraps the kill point's service method on this process's instance (never in src). */
function armKillPoint(container: MedusaContainer, point: KillPoint) {
  const spec = KILL_POINTS[point]
  const key = {
    locking: Modules.LOCKING,
    order: Modules.ORDER,
    inventory: Modules.INVENTORY,
    payment: Modules.PAYMENT,
    fulfillment: Modules.FULFILLMENT,
    amazon: AMAZON_MODULE,
    link: ContainerRegistrationKeys.LINK,
  }[spec.service]
  const service = container.resolve(key) as Record<string, unknown>
  const original = service[spec.method]
  if (typeof original !== "function") {
    throw new Error(`crash-child: ${spec.service}.${spec.method} is not a function`)
  }
  service[spec.method] = async function (this: unknown, ...args: unknown[]) {
    const hit = matches(point, args)
    if (hit && spec.when === "before") {
      die()
    }
    const result = await (original as (...a: unknown[]) => Promise<unknown>).apply(service, args)
    if (hit) {
      die()
    }
    return result
  }
}

async function main() {
  const started = Date.now()
  const container = await boot()
  report({ type: "booted", boot_ms: Date.now() - started, at: Date.now(), round })

  let store: SeededStore
  if (env.CRASH_SEED === "1") {
    store = await seedStore(container)
    const first = await push(container)
    report({ type: "seeded", store, snapshot: await snapshot(container, store, [], pushSummary(first)) })
  } else {
    const seeded = readReport().find((l): l is Extract<ReportLine, { type: "seeded" }> => l.type === "seeded")
    if (!seeded) {
      throw new Error("crash-child: the report holds no seeded store")
    }
    store = seeded.store
    const orderIds = JSON.parse(required("CRASH_RECOVER_ORDERS")) as string[]
    const runs = await recover(container, store, orderIds)
    // The first push after the restart: what Amazon shows now is what it shows until the next change.
    const first = await push(container)
    report({
      type: "recovered",
      round: Number(required("CRASH_RECOVER_ROUND")),
      killed_at: Number(required("CRASH_KILLED_AT")),
      runs,
      snapshot: await snapshot(container, store, orderIds, pushSummary(first)),
    })
  }

  if (round === null) {
    return
  }
  if (!killPoint || !isKillPoint(killPoint)) {
    throw new Error(`crash-child: unknown kill point ${killPoint}`)
  }
  const orders = await seedPage()
  report({ type: "page", round, kill_point: killPoint, orders })
  armKillPoint(container, killPoint)
  const run = await runImport(container, store.account_id)
  report({ type: "not-killed", round, kill_point: killPoint, run })
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    try {
      report({ type: "error", message: (e as Error)?.stack ?? String(e) })
    } finally {
      process.stderr.write(`crash-child failed: ${(e as Error)?.stack ?? String(e)}\n`)
      process.exit(1)
    }
  })
