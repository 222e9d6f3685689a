/**
 * Browser test of the admin extension: a real Medusa app (development mode, admin enabled) on a fresh
 * PostgreSQL database, the SP-API simulator in this process, and Debian's Chromium driven by
 * playwright-core. A merchant logs in, connects an Amazon account pointed at the simulator, tests the
 * connection, imports and links SKUs, pushes stock with "sync now", and sees the result on the dashboard
 * and the variant and order pages. An imported Amazon order is then shipped in Medusa (admin API: a
 * fulfillment and a shipment with a tracking number); the plugin's send-order-actions job confirms it to
 * Amazon, and the order page shows it paid in full (no outstanding amount) with the shipment confirmed.
 * Every page is saved as a screenshot in integration-tests/browser/artifacts/.
 *
 * Run: npx ts-node --transpile-only integration-tests/browser/admin.browser.ts
 * Env: DATABASE_URL or DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD (else a local server or an embedded
 * PostgreSQL, see scripts/db.mjs); CHROMIUM_PATH (default /usr/bin/chromium); KEEP_DB=1 keeps the database;
 * AMAZON_BROWSER_SERVER=develop runs `medusa develop` (with its file watcher) instead of `medusa start`
 * with NODE_ENV=development.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { randomBytes } from "node:crypto"
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { pathToFileURL } from "node:url"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import { startSimulator, type SimulatorHandle } from "../../simulator"

const ROOT = path.resolve(__dirname, "..", "..")
const ARTIFACTS = path.join(__dirname, "artifacts")
const DE = "A1PA6795UKMFR9"
const ADMIN = { email: "merchant@example.com", password: `pw-${randomBytes(6).toString("hex")}` }
const SELLER = {
  sellerId: "A1BROWSERSELLER",
  clientId: "amzn1.application-oa2-client.browser",
  clientSecret: `browser-secret-${randomBytes(6).toString("hex")}`,
  refreshToken: `Atzr|browser-refresh-${randomBytes(6).toString("hex")}`,
  marketplaceIds: [DE],
  storeName: "Browser Test Store",
}
const STEP_TIMEOUT = 60_000

// Native dynamic import: ts-node compiles this file to CommonJS, where `import()` would become require(),
// which cannot load the ESM scripts/db.mjs.
const importEsm = new Function("specifier", "return import(specifier)") as (s: string) => Promise<any>

const started = Date.now()
function log(message: string) {
  process.stdout.write(`[browser +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on("error", reject)
  })
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 500): Promise<T> {
  const started = Date.now()
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v as T
    } catch (e) {
      last = e
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`)
    }
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string) {
  const res = spawnSync(cmd, args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  const out = `${res.stdout ?? ""}${res.stderr ?? ""}`
  // the admin password of `medusa user` is not written anywhere
  const shown = args.map((a, i) => (args[i - 1] === "-p" && args[0] === "medusa" && args[1] === "user" ? "***" : a))
  require("node:fs").appendFileSync(logFile, `\n$ ${cmd} ${shown.join(" ")}\n${out}`)
  if (res.status !== 0) {
    throw new Error(`${cmd} ${shown.join(" ")} failed (${res.status}); see ${path.basename(logFile)}:\n${out.slice(-2000)}`)
  }
  return out
}

/** Creates the test database if the URL names one that does not exist; returns a drop function. */
async function ensureDatabase(databaseUrl: string): Promise<() => Promise<void>> {
  const { Client } = require("pg")
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""))
  const admin = new URL(databaseUrl)
  admin.pathname = "/postgres"
  const client = new Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name])
    if (exists.rowCount) {
      return async () => {}
    }
    await client.query(`create database "${name.replace(/"/g, '""')}"`)
  } finally {
    await client.end()
  }
  return async () => {
    const c = new Client({ connectionString: admin.toString() })
    await c.connect()
    try {
      await c.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`)
    } finally {
      await c.end()
    }
  }
}

class AdminApi {
  token = ""
  constructor(readonly base: string) {}

  async login(email: string, password: string) {
    const res = await fetch(`${this.base}/auth/user/emailpass`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    })
    if (!res.ok) throw new Error(`admin login failed: ${res.status} ${await res.text()}`)
    this.token = ((await res.json()) as { token: string }).token
  }

  async request<T = any>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 500)}`)
    return (text ? JSON.parse(text) : {}) as T
  }
}

/** The store the merchant already has: a warehouse and a mug in two colours with stock. */
async function seedStore(api: AdminApi) {
  const { stock_location } = await api.request("POST", "/admin/stock-locations", { name: "Main warehouse" })
  const { product } = await api.request("POST", "/admin/products", {
    title: "Amazon Mug",
    status: "published",
    options: [{ title: "Color", values: ["Blue", "Red"] }],
    variants: [
      { title: "Blue", sku: "MUG-BLUE", manage_inventory: true, options: { Color: "Blue" }, prices: [{ currency_code: "eur", amount: 12 }] },
      { title: "Red", sku: "MUG-RED", manage_inventory: true, options: { Color: "Red" }, prices: [{ currency_code: "eur", amount: 12 }] },
    ],
  })
  const stock: Record<string, number> = { "MUG-BLUE": 7, "MUG-RED": 3 }
  const variants: Record<string, string> = {}
  for (const sku of Object.keys(stock)) {
    const { inventory_items } = await api.request("GET", `/admin/inventory-items?sku=${sku}`)
    await api.request("POST", `/admin/inventory-items/${inventory_items[0].id}/location-levels`, {
      location_id: stock_location.id,
      stocked_quantity: stock[sku],
    })
    variants[sku] = product.variants.find((v: { sku: string }) => v.sku === sku).id
  }
  return { productId: product.id as string, variants, locationId: stock_location.id as string }
}

/** Set once the run got through its clean-up; an exit before that is a failure, never a silent 0. */
let finished = false
process.on("exit", (code) => {
  if (!finished && code === 0) {
    process.stderr.write("[browser] exited before the run finished\n")
    process.exitCode = 1
  }
})

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), "amazon-admin-browser-"))
  // Screenshots and logs are written outside the project while the app runs: `medusa develop` restarts on
  // any new file in the project. They are copied to artifacts/ once the app has stopped.
  const shots = path.join(work, "shots")
  mkdirSync(shots)
  const appLog = path.join(work, "medusa.log")
  const screenshots: { file: string; what: string }[] = []
  let medusa: ChildProcess | undefined
  let sim: SimulatorHandle | undefined
  let context: BrowserContext | undefined
  let db: { env: Record<string, string>; stop: () => Promise<void>; source: string } | undefined
  let dropDb: (() => Promise<void>) | undefined
  let page: Page | undefined
  let failed: unknown

  /**
   * Saves a screenshot. Toasts are let go first (they cover the lower right). The admin scrolls inside its
   * own layout, so a long page is shot with a viewport tall enough to hold all of it.
   */
  const shot = async (name: string, what: string, opts: { keepToasts?: boolean; height?: number } = {}) => {
    const file = path.join(shots, `${name}.png`)
    if (!opts.keepToasts) {
      await page!.locator("[data-sonner-toast]").first().waitFor({ state: "detached", timeout: 15_000 }).catch(() => undefined)
    }
    if (opts.height) {
      await page!.setViewportSize({ width: 1440, height: opts.height })
      await page!.waitForTimeout(500)
    }
    await page!.screenshot({ path: file, fullPage: true })
    if (opts.height) {
      await page!.setViewportSize({ width: 1440, height: 1000 })
    }
    screenshots.push({ file: `${name}.png`, what })
    log(`screenshot ${name}.png: ${what}`)
  }
  const see = async (text: string | RegExp, timeout = STEP_TIMEOUT) => {
    await page!.getByText(text).first().waitFor({ state: "visible", timeout })
  }

  try {
    // --- database
    if (!process.env.DATABASE_URL) {
      process.env.DB_NAME = process.env.DB_NAME || `medusa_amazon_browser_${Date.now()}`
    }
    const { acquireDatabase } = await importEsm(pathToFileURL(path.join(ROOT, "scripts", "db.mjs")).href)
    db = await acquireDatabase({ log })
    log(`database: ${db!.source}`)
    const drop = await ensureDatabase(db!.env.DATABASE_URL)
    dropDb = process.env.KEEP_DB ? undefined : drop

    // --- the SP-API simulator, with the seller and their listings (one simulated minute per real second)
    sim = await startSimulator({
      timeScale: 60,
      seed: {
        sellers: [SELLER],
        listings: [
          { sellerId: SELLER.sellerId, sku: "MUG-BLUE", asin: "B0MUGBLUE1", productType: "DRINKING_CUP", quantity: 0, itemName: "Amazon Mug, blue" },
          { sellerId: SELLER.sellerId, sku: "MUG-RED", asin: "B0MUGRED01", productType: "DRINKING_CUP", quantity: 0, itemName: "Amazon Mug, red" },
          { sellerId: SELLER.sellerId, sku: "LAMP-1", asin: "B0LAMP0001", productType: "LAMP", quantity: 4 },
        ],
      },
    })
    log(`simulator: ${sim.url}`)

    // --- the app
    const port = await freePort()
    const base = `http://localhost:${port}`
    const quiet = new Date(Date.now() + 12 * 3_600_000)
    const quietCron = `${quiet.getMinutes()} ${quiet.getHours()} * * *`
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...db!.env,
      NODE_ENV: "development",
      MEDUSA_DISABLE_TELEMETRY: "true",
      AMAZON_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      // the store's configuration names the simulator; an admin cannot add other endpoints
      AMAZON_ALLOWED_ENDPOINTS: sim.url,
      AMAZON_ALLOW_LOOPBACK_ENDPOINTS: "false",
      JWT_SECRET: randomBytes(16).toString("hex"),
      COOKIE_SECRET: randomBytes(16).toString("hex"),
      ADMIN_CORS: base,
      AUTH_CORS: base,
      STORE_CORS: base,
      MEDUSA_ADMIN_DISABLE: "false",
      // The merchant drives the syncs with "sync now"; the periodic jobs stay quiet (12 h away) so every
      // outcome on screen comes from the button that was pressed. The chart samples every minute.
      AMAZON_STOCK_PUSH_SCHEDULE: quietCron,
      AMAZON_FEED_RESULTS_SCHEDULE: quietCron,
      AMAZON_STOCK_RECONCILE_SCHEDULE: quietCron,
      AMAZON_ORDER_IMPORT_SCHEDULE: quietCron,
      AMAZON_FBA_SYNC_SCHEDULE: quietCron,
      AMAZON_FBA_FULL_SCAN_SCHEDULE: quietCron,
      AMAZON_STATUS_SAMPLE_SCHEDULE: "* * * * *",
      // Shipment confirmations have no "sync now": Medusa's scheduler runs the send job every 5 s here (once
      // a minute by default), so a shipment reaches Amazon while the test waits.
      AMAZON_ORDER_ACTIONS_SCHEDULE: "*/5 * * * * *",
      LOG_LEVEL: "info",
    }
    delete env.REDIS_URL
    log("medusa db:migrate …")
    let t = Date.now()
    run("npx", ["medusa", "db:migrate"], env, appLog)
    log(`migrated in ${Date.now() - t} ms`)
    run("npx", ["medusa", "user", "-e", ADMIN.email, "-p", ADMIN.password], env, appLog)

    // `medusa develop` is `medusa start` in development mode (admin served by Vite, plain-http session
    // cookie) plus a file watcher that restarts the server on any change in the project. The watcher makes
    // the run fail whenever a file changes meanwhile (an editor, another job on a shared tree), so by
    // default the same server runs without it; AMAZON_BROWSER_SERVER=develop uses `medusa develop` itself.
    const mode = process.env.AMAZON_BROWSER_SERVER === "develop" ? "develop" : "start"
    log(`medusa ${mode} (NODE_ENV=development) on port ${port} …`)
    t = Date.now()
    const out = createWriteStream(appLog, { flags: "a" })
    medusa = spawn("npx", ["medusa", mode, "-p", String(port)], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    medusa.stdout!.pipe(out)
    medusa.stderr!.pipe(out)
    await waitFor("GET /health", async () => (await fetch(`${base}/health`).catch(() => null))?.ok, 240_000, 1000)
    log(`app healthy after ${Date.now() - t} ms`)

    const api = new AdminApi(base)
    await api.login(ADMIN.email, ADMIN.password)
    const store = await seedStore(api)

    // --- the browser
    const profile = mkdtempSync(path.join(work, "chromium-profile-"))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      viewport: { width: 1440, height: 1000 },
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.setDefaultTimeout(STEP_TIMEOUT)

    // 1. log in
    t = Date.now()
    await page.goto(`${base}/app/login`, { timeout: 180_000 })
    await page.locator('input[name="email"]').fill(ADMIN.email, { timeout: 180_000 })
    await page.locator('input[name="password"]').fill(ADMIN.password)
    await page.getByRole("button", { name: "Continue" }).click()
    await page.waitForURL((u) => !u.pathname.includes("/login"), { timeout: STEP_TIMEOUT })
    log(`logged in after ${Date.now() - t} ms (includes the admin's first build)`)

    // 2. settings → Amazon: nothing connected yet
    await page.goto(`${base}/app/settings/amazon`)
    await see("No Amazon account is connected yet")
    await see("amazon-push-stock")
    await shot("01-settings-empty", "Settings → Amazon before any account: empty state, the plugin's job schedules")

    // 3. connect an account pointed at the simulator
    await page.getByRole("button", { name: "Connect account" }).first().click()
    const drawer = page.getByRole("dialog")
    await drawer.getByText("Connect an Amazon account").waitFor()
    await drawer.getByLabel("Name").fill("Amazon Germany")
    await drawer.getByLabel("Seller ID (Merchant Token)").fill(SELLER.sellerId)
    await drawer.getByLabel("Amazon.de (DE)").check()
    await drawer.getByLabel("LWA client ID").fill(SELLER.clientId)
    await drawer.getByLabel("LWA client secret").fill(SELLER.clientSecret)
    await drawer.getByLabel("Refresh token").fill(SELLER.refreshToken)
    await drawer.getByLabel("SP-API endpoint (optional)").fill(sim.url)
    await drawer.getByLabel("LWA token URL (optional)").fill(`${sim.url}/auth/o2/token`)
    await shot("02-connect-account", "The connect form filled in: region EU, Amazon.de, LWA credentials (secrets masked), simulator URLs")
    await drawer.getByRole("button", { name: "Connect account" }).click()
    await see("Amazon account connected")
    await see("Client secret: set · Refresh token: set")
    await see(`Seller ${SELLER.sellerId} · region EU`)

    // 4. test connection
    await page.getByRole("button", { name: "Test connection" }).click()
    await see(/Connected to Amazon in \d+ ms/)
    await see("Selling in: Amazon.de (DE, EUR)")
    await see(/^OK · /)
    await shot("03-test-connection", "The account card after “Test connection”: connected, selling in Amazon.de (DE, EUR); secrets shown only as “set”")

    // 5. sync settings: patches off, so the push goes out as a feed with per-SKU results
    await page.getByRole("button", { name: "Sync settings" }).click()
    const settings = page.getByRole("dialog")
    await settings.getByText("Sync settings · Amazon Germany").waitFor()
    await settings.getByLabel("Patches per run").fill("0")
    await settings.getByLabel("Buffer (units kept back)").fill("0")
    await shot("04-sync-settings", "Sync settings: stock locations that count, sales channel / region for imported orders, quantity rules, push tuning")
    await settings.getByRole("button", { name: "Save settings" }).click()
    await see("Sync settings saved")
    await page.getByRole("dialog").waitFor({ state: "hidden" })
    await see("Last connection test")

    // 6. listings: import from Amazon, link one SKU by hand, auto-link the other
    await page.goto(`${base}/app/amazon/listings`)
    await see("No listing matches")
    await page.getByRole("button", { name: "Import from Amazon" }).click()
    await see("Importing listings from Amazon")
    await page.getByTestId("listing-MUG-BLUE").waitFor()
    await page.getByTestId("listing-LAMP-1").waitFor()
    await see("1–3 of 3 listings")
    await shot("05-listings-imported", "Listings imported from Amazon (searchListingsItems): MUG-BLUE, MUG-RED, LAMP-1, none linked yet", { keepToasts: true })

    await page.getByTestId("listing-MUG-BLUE").getByRole("button", { name: "Link" }).click()
    const linkDrawer = page.getByRole("dialog")
    await linkDrawer.getByText("Link MUG-BLUE").waitFor()
    await linkDrawer.getByRole("row", { name: /MUG-BLUE/ }).getByRole("button", { name: "Link this variant" }).click()
    await see("MUG-BLUE linked to MUG-BLUE")
    await page.getByTestId("listing-MUG-BLUE").getByText("MUG-BLUE · Amazon Mug").waitFor()
    await page.getByRole("button", { name: "Auto-link by SKU" }).click()
    await see("1 SKU(s) linked by matching SKU")
    await page.getByTestId("listing-MUG-RED").getByText("MUG-RED · Amazon Mug").waitFor()
    await shot("06-skus-linked", "MUG-BLUE linked by hand, MUG-RED by “Auto-link by SKU”; LAMP-1 has no variant and stays unlinked", { keepToasts: true })

    // 7. dashboard before the sync: two SKUs waiting
    await page.goto(`${base}/app/amazon`)
    await see("Amazon sync")
    await page.getByTestId("tile-queue").getByText("2", { exact: true }).waitFor()
    await shot("07-dashboard-queued", "Dashboard before the push: queue depth 2 (the linked SKUs), nothing pushed yet", { height: 1900 })

    // 8. sync now: push, then read the feed results
    await page.getByRole("button", { name: "Push stock now" }).click()
    await see("Push stock now: started")
    await page.getByTestId("amazon-feeds").getByRole("row").nth(1).waitFor()
    await page.getByTestId("tile-queue").getByText("0", { exact: true }).waitFor()
    await waitFor("the feed to finish at the simulator", async () => {
      const feeds = sim!.control.listFeeds(SELLER.sellerId)
      return feeds.length > 0 && feeds.every((f) => f.processingStatus === "DONE")
    }, 30_000)
    await page.getByRole("button", { name: "Check feed results" }).click()
    await see("Check feed results: started")
    await page.getByTestId("amazon-feeds").getByText("processed").waitFor({ timeout: STEP_TIMEOUT })
    await page.getByTestId("tile-last-push").getByText("2 SKUs accepted · 0 pending · 0 with errors").waitFor()
    const quantities = sim.control.quantities(SELLER.sellerId)
    if (quantities["MUG-BLUE"] !== 7 || quantities["MUG-RED"] !== 3) {
      throw new Error(`Amazon (simulator) quantities are ${JSON.stringify(quantities)}, expected MUG-BLUE 7 and MUG-RED 3`)
    }
    await shot("08-dashboard-after-sync", "Dashboard after “Push stock now” and “Check feed results”: one feed processed, 2 SKUs accepted, queue 0, lag 0", { height: 2000 })

    await page.getByTestId("amazon-feeds").getByRole("row").nth(1).click()
    const feedDrawer = page.getByRole("dialog")
    await feedDrawer.getByText("2 accepted · 0 rejected").waitFor()
    await feedDrawer.getByRole("row", { name: /MUG-BLUE\s*7\s*accepted/ }).waitFor()
    await feedDrawer.getByRole("row", { name: /MUG-RED\s*3\s*accepted/ }).waitFor()
    await shot("09-feed-detail", "The feed's per-SKU outcome: MUG-BLUE 7 accepted, MUG-RED 3 accepted")
    await page.keyboard.press("Escape")

    // 9. orders: one for a linked SKU is imported, one for an unlinked SKU needs attention
    const ago = (min: number) => new Date(sim!.control.now() - min * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")
    const good = sim.control.seedOrder({
      sellerId: SELLER.sellerId,
      createdTime: ago(20),
      lastUpdatedTime: ago(20),
      fulfillmentStatus: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      buyer: { buyerEmail: "buyer@marketplace.amazon.de", buyerName: "Erika Muster" },
      recipient: { deliveryAddress: { name: "Erika Muster", addressLine1: "Hauptstr. 1", city: "Köln", postalCode: "50667", countryCode: "DE" } },
      orderItems: [{ sellerSku: "MUG-BLUE", quantityOrdered: 1, unitPrice: "12.00" }],
    } as any)
    const lamp = sim.control.seedOrder({
      sellerId: SELLER.sellerId,
      createdTime: ago(15),
      lastUpdatedTime: ago(15),
      fulfillmentStatus: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      recipient: { deliveryAddress: { name: "Max Muster", addressLine1: "Ring 2", city: "Bonn", postalCode: "53111", countryCode: "DE" } },
      orderItems: [{ sellerSku: "LAMP-1", quantityOrdered: 1, unitPrice: "30.00" }],
    } as any)
    await page.getByRole("button", { name: "Import orders now" }).click()
    await see("Import orders now: started")
    await page.getByTestId("amazon-attention").getByText(lamp.orderId).waitFor()
    await page.getByTestId("amazon-attention").getByRole("button", { name: "Retry" }).waitFor()
    await page.getByTestId("tile-last-import").getByText(/1 imported · 1 need attention/).waitFor()
    await shot("10-dashboard-orders", `Dashboard after “Import orders now”: order ${good.orderId} imported, ${lamp.orderId} (LAMP-1, no variant) needs attention with Retry`, {
      height: 2300,
    })

    // 10. the variant page widget
    await page.goto(`${base}/app/products/${store.productId}/variants/${store.variants["MUG-BLUE"]}`)
    const variantWidget = page.getByTestId("amazon-variant-widget")
    await variantWidget.waitFor({ timeout: STEP_TIMEOUT })
    await variantWidget.getByText(/7 accepted/).waitFor()
    await variantWidget.getByText("Accepted", { exact: true }).waitFor()
    await shot("11-variant-widget", "Variant MUG-BLUE: the Amazon widget shows SKU MUG-BLUE on Amazon.de, pushed quantity 7 accepted, last result Accepted")

    // 11. the order page widget
    const amazonOrder = await waitFor(
      "the imported order",
      async () => (await api.request("GET", `/admin/amazon/orders?q=${good.orderId}`)).orders.find((o: { order_id: string | null }) => o.order_id),
      30_000
    )
    await page.goto(`${base}/app/orders/${amazonOrder.order_id}`)
    const orderWidget = page.getByTestId("amazon-order-widget")
    await orderWidget.waitFor({ timeout: STEP_TIMEOUT })
    await orderWidget.getByText(good.orderId).waitFor()
    await orderWidget.getByText("UNSHIPPED").waitFor()
    await shot("12-order-widget", `Order page of the imported Amazon order: the widget shows Amazon order ${good.orderId}, status UNSHIPPED, Amazon.de, imported`)

    // 11b. staff ship the order in Medusa; the send job confirms it to Amazon; the order page shows it paid
    // in full and the shipment confirmed by Amazon
    const orderId = amazonOrder.order_id as string
    const { order: before } = await api.request("GET", `/admin/orders/${orderId}?fields=id,total,summary,items.id,items.quantity,fulfillments.id`)
    const paid = { total: Number(before.total), paid_total: Number(before.summary?.paid_total), pending_difference: Number(before.summary?.pending_difference) }
    if (!(paid.total > 0) || paid.paid_total !== paid.total || paid.pending_difference !== 0) {
      throw new Error(`the imported order is not paid in full: ${JSON.stringify(paid)}`)
    }
    const tracking = "BROWSER-TRACK-0001"
    const lines = (before.items as { id: string; quantity: number }[]).map((i) => ({ id: i.id, quantity: Number(i.quantity) }))
    const { order: fulfilled } = await api.request("POST", `/admin/orders/${orderId}/fulfillments?fields=id,fulfillments.id`, {
      items: lines,
      location_id: store.locationId,
    })
    const known = new Set((before.fulfillments ?? []).map((f: { id: string }) => f.id))
    const fulfillment = (fulfilled.fulfillments as { id: string }[]).find((f) => !known.has(f.id))
    if (!fulfillment) throw new Error("the fulfillment created in Medusa was not found on the order")
    await api.request("POST", `/admin/orders/${orderId}/fulfillments/${fulfillment.id}/shipments`, {
      items: lines,
      labels: [{ tracking_number: tracking, tracking_url: `https://tracking.example/${tracking}`, label_url: "https://labels.example/browser.pdf" }],
    })
    const confirmedAction = await waitFor(
      "the shipment confirmation to be done (send-order-actions job)",
      async () => {
        const view = await api.request("GET", `/admin/amazon/order-actions/${orderId}`)
        const action = (view.actions as { kind: string; status: string; fulfillment_id: string; last_error: string | null }[]).find(
          (a) => a.kind === "confirm_shipment" && a.fulfillment_id === fulfillment.id
        )
        if (action?.status === "failed") throw new Error(`the shipment confirmation failed: ${action.last_error}`)
        return action?.status === "done" ? action : null
      },
      60_000,
      1000
    )
    const atAmazon = sim.control.getOrder(good.orderId)
    const packages = sim.control.getOrderPackages(good.orderId) ?? []
    if (atAmazon?.fulfillment?.fulfillmentStatus !== "SHIPPED" || packages.length !== 1 || packages[0].trackingNumber !== tracking) {
      throw new Error(
        `Amazon (simulator) shows ${atAmazon?.fulfillment?.fulfillmentStatus} with packages ${JSON.stringify(packages)}, expected SHIPPED with one package tracked ${tracking}`
      )
    }
    log(`shipment ${fulfillment.id} confirmed to Amazon (${confirmedAction.status}): ${good.orderId} SHIPPED, tracking ${tracking}`)
    await page.goto(`${base}/app/orders/${orderId}`)
    await orderWidget.waitFor({ timeout: STEP_TIMEOUT })
    const action = orderWidget.getByTestId("amazon-order-action")
    await action.getByText(new RegExp(`^Shipment · ${lines.reduce((n, l) => n + l.quantity, 0)} unit\\(s\\) · .+ · ${tracking}$`)).waitFor()
    await action.getByText("confirmed by Amazon", { exact: true }).waitFor()
    await action.getByText(/^Amazon accepted it /).waitFor()
    // Medusa's order summary: "Paid Total" is the order's total and "Outstanding amount" is zero.
    const money = (amount: number) => new RegExp(`^€\\s?${amount.toFixed(2).replace(".", "[.,]")} EUR$`)
    const summaryRow = (label: string) => page!.locator("div.justify-between").filter({ has: page!.getByText(label, { exact: true }) }).last()
    await summaryRow("Paid Total").getByText(money(paid.total)).waitFor()
    await summaryRow("Outstanding amount").getByText(money(0)).waitFor()
    await shot("12b-order-shipped", `Order page after shipping in Medusa with tracking ${tracking}: paid total = total (€${paid.total.toFixed(2)}), outstanding amount €0.00; the Amazon widget shows the shipment confirmed by Amazon`, {
      height: 1600,
    })

    // 12. the settings page with the connected account
    await page.goto(`${base}/app/settings/amazon`)
    await see(/Last connection test/)
    await see(/^OK · /)
    await see("Patches per run")
    await shot("13-settings-account", "Settings → Amazon with the connected account: credentials set, authorised date, last test OK, settings summary", { height: 1500 })

    // 13. the chart: the sample job records a point every minute in this run
    await page.goto(`${base}/app/amazon`)
    await page.getByRole("img", { name: "Queue depth and lag over time" }).waitFor({ timeout: 150_000 })
    await shot("14-dashboard-chart", "Dashboard at the end: queue depth / lag chart from the recorded samples, warnings, errors to act on, feeds, orders needing attention", {
      height: 2400,
    })
    log("all steps passed")
  } catch (e) {
    failed = e
    process.stderr.write(`[browser] FAILED: ${(e as Error)?.stack ?? e}\n`)
    if (page) {
      await page.screenshot({ path: path.join(shots, "failure.png"), fullPage: true }).catch(() => undefined)
      screenshots.push({ file: "failure.png", what: "the page when the test failed" })
    }
  } finally {
    // Each clean-up step is bounded, so a stuck one cannot keep the run (or the exit code) hostage.
    const step = async (name: string, fn: () => Promise<unknown>, ms = 20_000) => {
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), ms)))])
      } catch (e) {
        log(`clean-up: ${name} failed: ${(e as Error).message}`)
      } finally {
        clearTimeout(timer)
      }
    }
    await step("close the browser", async () => context?.close())
    await step("stop the app", async () => {
      if (!medusa?.pid) return
      const gone = new Promise((r) => medusa!.once("exit", r))
      // the whole process group: npx → medusa → the server (and Vite)
      try {
        process.kill(-medusa.pid, "SIGTERM")
      } catch {
        return
      }
      const killed = await Promise.race([gone.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))])
      if (!killed) {
        try {
          process.kill(-medusa.pid, "SIGKILL")
        } catch {
          /* already gone */
        }
      }
    })
    // Secrets must not appear in any log line of the app.
    if (existsSync(appLog)) {
      const text = readFileSync(appLog, "utf8")
      for (const secret of [SELLER.clientSecret, SELLER.refreshToken]) {
        if (text.includes(secret)) {
          failed = failed ?? new Error("a secret appeared in the app log")
          process.stderr.write("[browser] FAILED: a secret appeared in the app log\n")
        }
      }
    }
    await step("copy the artifacts", async () => {
      mkdirSync(ARTIFACTS, { recursive: true })
      // only this run's files: a failure.png of an earlier run must not linger
      for (const f of readdirSync(ARTIFACTS)) {
        if (f.endsWith(".png") || f === "medusa.log") rmSync(path.join(ARTIFACTS, f))
      }
      for (const f of readdirSync(shots)) copyFileSync(path.join(shots, f), path.join(ARTIFACTS, f))
      if (existsSync(appLog)) copyFileSync(appLog, path.join(ARTIFACTS, "medusa.log"))
    })
    await step("stop the simulator", async () => sim?.close())
    await step("drop the test database", async () => dropDb?.(), 60_000)
    await step("stop the database", async () => db?.stop(), 30_000)
    rmSync(work, { recursive: true, force: true })
    log(`artifacts in ${path.relative(ROOT, ARTIFACTS)}/:`)
    for (const s of screenshots) log(`  ${s.file}: ${s.what}`)
    finished = true
  }
  if (failed) {
    process.exit(1)
  }
  process.exit(0)
}

main().catch((e) => {
  process.stderr.write(`[browser] ${(e as Error)?.stack ?? e}\n`)
  process.exit(1)
})
