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
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core"
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
/**
 * How wide the page is against the viewport: the document, and every scrolling ancestor of `anchor`
 * (Medusa's shell scrolls its content in a container, which the document's width does not show). A table
 * in its own overflow-x-auto wrapper is not an ancestor of the page's heading, so it may scroll.
 */
async function pageWidths(anchor: Locator): Promise<{ scroll: number; client: number }> {
  return anchor.evaluate((el) => {
    let scroll = document.documentElement.scrollWidth
    const client = document.documentElement.clientWidth
    for (let node: HTMLElement | null = el as HTMLElement; node; node = node.parentElement) {
      if (node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX !== "hidden") {
        scroll = Math.max(scroll, client + node.scrollWidth - node.clientWidth)
      }
    }
    return { scroll, client }
  })
}

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
  /** One statement on the app's database (to age a queued change for the "Delayed" verdict). */
  const sql = async (text: string) => {
    const { Client } = require("pg")
    const client = new Client({ connectionString: db!.env.DATABASE_URL })
    await client.connect()
    try {
      return (await client.query(text)).rowCount as number
    } finally {
      await client.end()
    }
  }
  /** The verdict card: its state and the reason the merchant reads. */
  const verdict = async (state: "healthy" | "delayed" | "action_needed", reason: string | RegExp) => {
    const card = page!.locator(`[data-testid="amazon-verdict"][data-state="${state}"]`)
    await card.waitFor({ timeout: STEP_TIMEOUT })
    await card.getByTestId("amazon-verdict-reason").getByText(reason).waitFor()
    return card
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
      // the MCF tracking job every 5 s (every 2 minutes by default), so Amazon's shipment reaches the order while the test waits
      AMAZON_MCF_SCHEDULE: "*/5 * * * * *",
      AMAZON_STATUS_SAMPLE_SCHEDULE: "* * * * *",
      // and no push a second after each change (push-soon): the dashboard shows changes waiting until pressed
      AMAZON_STOCK_PUSH_DEBOUNCE_MS: "off",
      // "Compare with Amazon" asks for Amazon's listings report every half second (30 s by default; the
      // simulator runs a minute per second here)
      AMAZON_DRIFT_REPORT_POLL_MS: "500",
      // Shipment confirmations have no "sync now": Medusa's scheduler runs the send job every 5 s here (once
      // a minute by default), so a shipment reaches Amazon while the test waits.
      AMAZON_ORDER_ACTIONS_SCHEDULE: "*/5 * * * * *",
      // the notification consumer long-polls for 1 s instead of 20, so it stops promptly with the app
      AMAZON_NOTIFICATIONS_WAIT_SECONDS: "1",
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
    await settings.getByLabel("Quick updates per run").fill("0")
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
    await verdict("healthy", /^Stock and orders are in sync/)
    await shot("07-dashboard-queued", "Dashboard before the push: verdict Healthy, 2 changes waiting (the linked SKUs), nothing pushed yet", { height: 1900 })

    // 7b. the verdict "Delayed": the same two changes, as if they had waited two hours (the push job is quiet)
    const aged = await sql(`update amazon_stock_outbox set first_enqueued_at = now() - interval '2 hours' where deleted_at is null`)
    if (aged !== 2) throw new Error(`expected 2 queued changes to age, found ${aged}`)
    await page.reload()
    const delayed = await verdict("delayed", "A stock change has waited 2 h to reach Amazon.")
    await delayed.getByTestId("amazon-verdict-next").getByText(/^Nothing to do unless it keeps growing/).waitFor()
    await shot("07b-verdict-delayed", "The verdict Delayed: “A stock change has waited 2 h to reach Amazon.” with the next step", { height: 1900 })

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
    await page.getByTestId("amazon-feeds").getByText("Applied", { exact: true }).waitFor({ timeout: STEP_TIMEOUT })
    await page.getByTestId("tile-last-push").getByText("2 SKUs confirmed · 0 on their way · 0 refused").waitFor()
    await verdict("healthy", /^Stock and orders are in sync \(last push/)
    const quantities = sim.control.quantities(SELLER.sellerId)
    if (quantities["MUG-BLUE"] !== 7 || quantities["MUG-RED"] !== 3) {
      throw new Error(`Amazon (simulator) quantities are ${JSON.stringify(quantities)}, expected MUG-BLUE 7 and MUG-RED 3`)
    }
    await shot("08-dashboard-after-sync", "Dashboard after “Push stock now” and “Check feed results”: verdict Healthy, one feed Applied, 2 SKUs confirmed, nothing waiting", { height: 2000 })

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
    const needsAction = await verdict("action_needed", "1 Amazon order could not become a store order.")
    await needsAction.getByRole("link", { name: "Show the orders" }).waitFor()
    const waitingRow = page.getByTestId("attention-order").filter({ hasText: lamp.orderId })
    await waitingRow.getByTestId("attention-ship-by").getByText(/^ship by in /).waitFor()
    const central = await waitingRow.getByRole("link", { name: "Open in Seller Central" }).getAttribute("href")
    if (central !== `https://sellercentral.amazon.de/orders-v3/order/${lamp.orderId}`) throw new Error(`Seller Central link is ${central}`)
    await page.getByTestId("amazon-errors").getByText("Amazon orders for a SKU that is not linked to a product").waitFor()
    await shot("10-dashboard-orders", `Dashboard after “Import orders now”: verdict Action needed; ${lamp.orderId} (LAMP-1, no variant) waits with its ship-by time, “Map LAMP-1…”, Retry and its Seller Central link; the problem in plain words`, {
      height: 2300,
    })

    // 9b. the merchant adds the lamp to the store and maps the SKU from the waiting order: it imports by itself
    const { product: lampProduct } = await api.request("POST", "/admin/products", {
      title: "Desk lamp",
      status: "published",
      options: [{ title: "Size", values: ["One"] }],
      variants: [{ title: "One", sku: "LAMP-1", manage_inventory: false, options: { Size: "One" }, prices: [{ currency_code: "eur", amount: 30 }] }],
    })
    await waitingRow.getByTestId("attention-map-sku").click()
    const mapDrawer = page.getByRole("dialog")
    await mapDrawer.getByText("Link LAMP-1").waitFor()
    await mapDrawer.getByRole("row", { name: /LAMP-1/ }).getByRole("button", { name: "Link this variant" }).click()
    await see("LAMP-1 is mapped")
    await page.getByTestId("amazon-attention").getByText("All Amazon orders were imported.").waitFor({ timeout: STEP_TIMEOUT })
    await page.getByTestId("tile-last-import").getByText(/2 imported · 0 need attention/).waitFor()
    await page.getByTestId("amazon-activity").getByText("Order import").first().waitFor()
    await page.getByTestId("amazon-activity").getByText(ADMIN.email).first().waitFor()
    await shot("10b-mapped-from-attention", `LAMP-1 mapped from “Orders needing attention” (product ${lampProduct.id}): the order imported by itself; “Started from here” shows the import, who started it and its result`, {
      height: 2300,
      keepToasts: true,
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

    // 12a. a feed Amazon fails as a whole (FATAL) reads as failed, and its problem is named
    const { accounts } = await api.request("GET", "/admin/amazon/accounts")
    const accountId = accounts[0].id as string
    const level = async (sku: string, stocked: number) => {
      const { inventory_items } = await api.request("GET", `/admin/inventory-items?sku=${sku}`)
      await api.request("POST", `/admin/inventory-items/${inventory_items[0].id}/location-levels/${store.locationId}`, { stocked_quantity: stocked })
    }
    sim.control.injectFault({ type: "feed-fatal", count: 1 })
    await level("MUG-RED", 5)
    await page.goto(`${base}/app/amazon`)
    await waitFor("the change to be queued", async () => (await api.request("GET", "/admin/amazon/status")).status.queue.depth > 0, 30_000)
    await page.getByRole("button", { name: "Push stock now" }).click()
    await see("Push stock now: started")
    await waitFor("the feed to end FATAL at the simulator", async () => sim!.control.listFeeds(SELLER.sellerId).some((f) => f.processingStatus === "FATAL"), 60_000)
    await page.getByRole("button", { name: "Check feed results" }).click()
    const failedFeed = page.locator('[data-testid="feed-row"][data-outcome="failed"]')
    await failedFeed.getByText("Failed", { exact: true }).waitFor({ timeout: STEP_TIMEOUT })
    await page.getByTestId("amazon-errors").getByText("Amazon failed a whole quantity feed").waitFor()
    // every SKU of that feed (MUG-RED, and MUG-BLUE and LAMP-1 changed by the orders) is refused
    await verdict("action_needed", /^Amazon refused the quantity of \d+ SKUs?\.$/)
    await shot("15-failed-feed", "A feed Amazon ended FATAL: listed as Failed (not “processed”), the problem named in plain words, verdict Action needed", { height: 2400 })

    // 12b. patches on again: the next change of MUG-RED goes out as a patch; its push history shows both channels
    await api.request("POST", `/admin/amazon/accounts/${accountId}`, { settings: { push: { max_patches_per_run: 10 } } })
    await level("MUG-RED", 4)
    // a full stock check queues every mapped SKU (the refused ones too), and the push patches them all
    const checkRequested = new Date(Date.now() - 1000).toISOString()
    await page.getByRole("button", { name: "Full stock check" }).click()
    await see("Full stock check: started")
    // The check queues every mapped SKU and pushes at once (the queue may already be empty again when we
    // look): its recorded outcome (GET /admin/amazon/sync) says what it queued, or why it did not run.
    const check = await waitFor(
      "the full stock check's outcome",
      async () => {
        const { recent } = await api.request("GET", "/admin/amazon/sync")
        const mine = (recent as { stream: string; ok: boolean; message: string; finished_at: string }[]).filter(
          (r) => r.stream === "reconcile" && r.finished_at >= checkRequested
        )
        const failed = mine.find((r) => !r.ok)
        if (failed) throw new Error(`the full stock check did not run: ${failed.message}`)
        return mine.find((r) => /queued for comparison/.test(r.message))
      },
      90_000
    )
    if (!/^Sync now \(reconcile\): 3 SKU\(s\) queued for comparison$/.test(check.message)) {
      throw new Error(`the full stock check said "${check.message}", expected every mapped SKU (3) queued`)
    }
    await page.getByRole("button", { name: "Push stock now" }).click()
    await waitFor("MUG-RED 4 at Amazon (patch)", async () => sim!.control.quantities(SELLER.sellerId)["MUG-RED"] === 4, 60_000)
    await verdict("healthy", /^Stock and orders are in sync/)
    await page.getByTestId("amazon-errors").getByText("Amazon refused a quantity").waitFor({ state: "detached", timeout: 150_000 }).catch(() => undefined)
    await page.goto(`${base}/app/amazon/listings`)
    await page.getByTestId("history-MUG-RED").click()
    const historyDrawer = page.getByTestId("push-history-drawer")
    await historyDrawer.getByText("Push history · MUG-RED").waitFor()
    const historyRows = historyDrawer.getByRole("row")
    await historyRows.filter({ hasText: "Patch" }).filter({ hasText: "Accepted" }).filter({ hasText: "4" }).first().waitFor()
    await historyRows.filter({ hasText: "Feed" }).filter({ hasText: "Rejected" }).first().waitFor()
    await historyRows.filter({ hasText: "Feed" }).filter({ hasText: "Accepted" }).first().waitFor()
    await shot("16-push-history", "MUG-RED's push history: the patch (4, accepted), the FATAL feed (5, rejected) and the first feed (3, accepted)")
    await page.keyboard.press("Escape")

    // 12b'. Amazon vs store: MUG-BLUE is changed in Seller Central behind the plugin's back; "Compare with
    // Amazon" reads Amazon's listings report, finds it, and the store's quantity goes out again at once
    const blueBefore = sim.control.quantities(SELLER.sellerId)["MUG-BLUE"]
    sim.control.setQuantity("MUG-BLUE", 30, { sellerId: SELLER.sellerId })
    await page.goto(`${base}/app/amazon`)
    await page.getByRole("button", { name: "Compare with Amazon" }).click()
    await see("Compare with Amazon: started")
    const driftRow = page.locator('[data-testid="drift-row"][data-status="done"]').filter({ hasText: "Amazon.de" })
    await driftRow.waitFor({ timeout: 60_000 })
    await driftRow.getByTestId("drift-worst").getByText(`MUG-BLUE: 30 / ${blueBefore}`).waitFor()
    await driftRow.getByTestId("drift-found").getByText(/1 different on Amazon \(sent again\)/).waitFor()
    await waitFor("MUG-BLUE back to the store's quantity at Amazon", async () => sim!.control.quantities(SELLER.sellerId)["MUG-BLUE"] === blueBefore, 30_000)
    await shot(
      "16b-amazon-vs-store",
      `Amazon vs store after “Compare with Amazon”: Amazon's listings report compared with what the plugin set; MUG-BLUE showed 30 on Amazon (set in Seller Central), the plugin had set ${blueBefore}: sent again`,
      { height: 2600 }
    )
    // why MUG-RED shows what it shows: store stock → rules → sent → accepted → what Amazon's report showed
    await page.goto(`${base}/app/amazon/listings`)
    await page.getByTestId("history-MUG-RED").click()
    const chain = page.getByTestId("quantity-chain")
    await chain.getByTestId("chain-shown").getByText(/in Amazon's listings report/).waitFor()
    await chain.getByTestId("chain-location").first().waitFor()
    await shot("16c-why-this-number", "Why MUG-RED shows 4: stock per location (stocked, reserved, counted), the quantity for Amazon, what was sent and accepted, and what Amazon's listings report showed, with times; the push timeline below")
    await page.keyboard.press("Escape")

    // 12c. bulk-linking 50 listings: Amazon has 50 more SKUs, the store their 50 variants
    const bulk = Array.from({ length: 50 }, (_, i) => `BULK-${String(i + 1).padStart(2, "0")}`)
    sim.control.seedListings(bulk.map((sku, i) => ({ sellerId: SELLER.sellerId, sku, quantity: 0, itemName: `Tea cup no. ${i + 1}` })))
    await api.request("POST", "/admin/products", {
      title: "Tea cup",
      status: "published",
      options: [{ title: "Number", values: bulk }],
      variants: bulk.map((sku) => ({ title: sku, sku, manage_inventory: false, options: { Number: sku }, prices: [{ currency_code: "eur", amount: 5 }] })),
    })
    await page.getByRole("button", { name: "Import from Amazon" }).click()
    await waitFor("53 listings", async () => (await api.request("GET", "/admin/amazon/listings?limit=1")).count === 53, 60_000)
    await page.reload()
    await page.getByPlaceholder(/search/i).first().fill("BULK-")
    await page.getByTestId("listing-BULK-50").waitFor()
    await page.getByRole("checkbox").first().click()
    await page.getByRole("button", { name: /Link selected/ }).click()
    const bulkDrawer = page.getByRole("dialog")
    await bulkDrawer.getByText("Link selected listings").waitFor()
    await bulkDrawer.getByTestId("bulk-link-BULK-50").waitFor()
    await bulkDrawer.getByRole("button", { name: "Link 50 listing(s)" }).click()
    // a bulk change is confirmed first
    await page.getByRole("alertdialog").getByText("Link 50 listing(s)?").waitFor()
    await page.getByRole("alertdialog").getByRole("button", { name: "Link", exact: true }).click()
    await see("50 listing(s) linked")
    const linkedBulk = await api.request("GET", "/admin/amazon/listings?linked=true&q=BULK-&limit=1")
    if (linkedBulk.count !== 50) throw new Error(`expected 50 BULK listings linked, found ${linkedBulk.count}`)
    await shot("17-bulk-linked", "50 listings selected and linked in one go from their suggestions (same SKU); item names from Amazon under each SKU", { keepToasts: true, height: 2400 })

    // 12d. the mapping as CSV: export, unlink LAMP-1 in the file, import: a preview of the one change, then apply
    await page.getByPlaceholder(/search/i).first().fill("")
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()])
    const csvPath = path.join(work, "mapping.csv")
    await download.saveAs(csvPath)
    const csv = readFileSync(csvPath, "utf8")
    const csvLines = csv.trim().split(/\r?\n/)
    if (csvLines.length !== 54) throw new Error(`the export has ${csvLines.length} lines, expected a header and 53 listings`)
    const header = csvLines[0].split(",")
    const skuCol = header.indexOf("seller_sku")
    const edited = csvLines
      .map((line, i) => {
        if (i === 0 || line.split(",")[skuCol] !== "LAMP-1") return line
        const cells = line.split(",")
        cells[header.indexOf("variant_sku")] = ""
        cells[header.indexOf("variant_id")] = ""
        return cells.join(",")
      })
      .join("\n")
    const editedPath = path.join(work, "mapping-edited.csv")
    require("node:fs").writeFileSync(editedPath, edited)
    await page.getByRole("button", { name: "Import CSV" }).click()
    const importDrawer = page.getByRole("dialog")
    await importDrawer.getByText("Import the SKU mapping").waitFor()
    await importDrawer.locator("#mapping-file").setInputFiles(editedPath)
    const totals = importDrawer.getByTestId("mapping-import-totals")
    await totals.getByText("1 to unlink").waitFor()
    await totals.getByText("52 unchanged").waitFor()
    await totals.getByText("0 with errors").waitFor()
    await shot("18-csv-preview", "The exported mapping re-imported with LAMP-1's variant removed: the preview shows 1 to unlink, 52 unchanged, 0 errors before anything is written")
    await importDrawer.getByRole("button", { name: "Apply 1 change(s)" }).click()
    await page.getByRole("alertdialog").getByRole("button").last().click()
    await see("Mapping imported: 0 linked, 1 unlinked")
    const lampListing = (await api.request("GET", "/admin/amazon/listings?q=LAMP-1")).listings[0]
    if (lampListing.product_variant) throw new Error("LAMP-1 is still linked after the CSV import")

    // 12e. the listings page on a phone (390 px): no horizontal scroll of the page itself
    await page.keyboard.press("Escape")
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${base}/app/amazon/listings`)
    await page.getByText("1–50 of 53 listings").waitFor()
    await page.getByTestId("listing-BULK-01").waitFor({ state: "attached" })
    const widths = await pageWidths(page.getByRole("heading", { name: "Amazon listings" }))
    if (widths.scroll > widths.client + 1) throw new Error(`the listings page scrolls sideways at 390 px: ${JSON.stringify(widths)}`)
    await page.screenshot({ path: path.join(shots, "19-listings-390px.png"), fullPage: true })
    screenshots.push({ file: "19-listings-390px.png", what: `The listings page at 390 px: the header wraps, the table scrolls inside its container (page ${widths.scroll} px wide in a ${widths.client} px viewport)` })
    // the dashboard and the settings on a phone too: tables scroll inside their cards, never the page
    for (const [name, url, ready] of [
      ["19b-dashboard-390px", "/app/amazon", "Amazon vs store"],
      ["19c-settings-390px", "/app/settings/amazon", "Quick updates per run"],
    ] as const) {
      await page.goto(`${base}${url}`)
      await page.getByText(ready).first().waitFor()
      await page.waitForTimeout(500)
      const w = await pageWidths(page.getByText(ready).first())
      if (w.scroll > w.client + 1) {
        await page.screenshot({ path: path.join(shots, `${name}-overflow.png`), fullPage: true })
        throw new Error(`${url} scrolls sideways at 390 px: ${JSON.stringify(w)}`)
      }
      await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })
      screenshots.push({ file: `${name}.png`, what: `${url} at 390 px: buttons wrap, tables scroll inside their cards (page ${w.scroll} px wide in a ${w.client} px viewport)` })
    }
    await page.setViewportSize({ width: 1440, height: 1000 })

    // 20. Amazon notifications: set up on the account card, an Amazon order arrives through them (the order
    // import job is parked), the dashboard says so, then they are turned off again (confirmed first)
    const queue = sim.control.createSqsQueue({ name: "medusa-amazon-notes" })
    await page.goto(`${base}/app/settings/amazon`)
    const notes = page.locator('[data-testid^="notifications-amzacc_"]')
    await notes.getByTestId("notifications-health").getByText("Off – polling only").waitFor()
    await notes.getByRole("button", { name: "Set up notifications" }).click()
    const notesDrawer = page.getByRole("dialog")
    await notesDrawer.getByText("How to get a queue and a key").waitFor()
    await notesDrawer.getByLabel("SQS queue URL").fill(queue.queueUrl)
    await notesDrawer.getByLabel("AWS region of the queue").fill("eu-west-1")
    await notesDrawer.getByLabel("AWS access key ID").fill(queue.accessKeyId)
    await notesDrawer.getByLabel("AWS secret access key").fill(queue.secretAccessKey)
    await shot("20-notifications-setup", "Set up Amazon notifications: the merchant's SQS queue URL, its region and the AWS key that reads it (secret masked, write-only), with the how-to")
    await notesDrawer.getByRole("button", { name: "Save and turn on" }).click()
    await see("Notifications are on")
    await page.getByRole("dialog").waitFor({ state: "hidden" })
    const destinations = sim.control.listDestinations()
    if (destinations.length !== 1 || sim.control.listSubscriptions(SELLER.sellerId).length !== 5) {
      throw new Error(`expected 1 destination and 5 subscriptions at Amazon, found ${destinations.length} and ${sim.control.listSubscriptions(SELLER.sellerId).length}`)
    }
    if ((await page.content()).includes(queue.secretAccessKey)) throw new Error("the AWS secret is on the page")
    const noted = sim.control.seedOrder({
      sellerId: SELLER.sellerId,
      fulfillmentStatus: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      recipient: { deliveryAddress: { name: "Nina Note", addressLine1: "Weg 3", city: "Bonn", postalCode: "53113", countryCode: "DE" } },
      orderItems: [{ sellerSku: "MUG-RED", quantityOrdered: 1, unitPrice: "12.00" }],
    } as any)
    const notedAt = Date.now()
    await waitFor("the order announced by Amazon's notification", async () => {
      const { orders } = await api.request("GET", `/admin/amazon/orders?q=${noted.orderId}`)
      return orders?.[0]?.import_status === "imported"
    }, 60_000)
    log(`an Amazon order reached the store ${Date.now() - notedAt} ms after it was placed, through its notification`)
    await page.reload()
    await notes.getByTestId("notifications-health").getByText("Live").waitFor({ timeout: STEP_TIMEOUT })
    await notes.getByText(noted.orderId).first().waitFor()
    await shot("20b-notifications-live", `Notifications live: queue, key (hinted), 24-hour counts, subscriptions per type, and the order ${noted.orderId} applied from its notification`, { height: 1700 })
    await page.goto(`${base}/app/amazon`)
    await page.getByTestId("amazon-verdict-notifications").getByText("Notifications: live").waitFor()
    await page.goto(`${base}/app/settings/amazon`)
    await notes.getByRole("button", { name: "Turn off" }).click()
    await page.getByRole("alertdialog").getByText("Turn Amazon notifications off?").waitFor()
    await page.getByRole("alertdialog").getByRole("button", { name: "Turn off" }).click()
    await see("Notifications are off")
    await notes.getByTestId("notifications-health").getByText("Off – polling only").waitFor()
    if (sim.control.listSubscriptions(SELLER.sellerId).length !== 0 || sim.control.listDestinations().length !== 0) {
      throw new Error("notifications were turned off but Amazon still has subscriptions or the destination")
    }

    // 21. Multi-Channel Fulfillment: a cup stocked only at Amazon (FBA), offered in the checkout as
    // "shipped by Amazon", ordered in the store, fulfilled from the FBA location, shipped by Amazon with tracking
    sim.control.seedListings([{ sellerId: SELLER.sellerId, sku: "FBA-CUP", fulfillmentChannel: "AMAZON_EU", itemName: "Travel cup" }])
    sim.control.setFbaStock({ sellerId: SELLER.sellerId, sku: "FBA-CUP", fulfillable: 20 })
    const { shipping_profiles } = await api.request("GET", "/admin/shipping-profiles?type=default&limit=1")
    const { product: cup } = await api.request("POST", "/admin/products", {
      title: "Travel cup",
      status: "published",
      shipping_profile_id: shipping_profiles[0].id,
      options: [{ title: "Size", values: ["One"] }],
      variants: [{ title: "One", sku: "CUP", manage_inventory: true, options: { Size: "One" }, prices: [{ currency_code: "eur", amount: 15 }] }],
    })
    const cupVariantId: string = cup.variants[0].id
    await api.request("POST", "/admin/amazon/listings/import", { account_id: accountId })
    const fbaListing = await waitFor("the FBA listing", async () => (await api.request("GET", "/admin/amazon/listings?q=FBA-CUP")).listings?.[0], 60_000)
    await api.request("POST", `/admin/amazon/listings/${fbaListing.id}/link`, { variant_id: cupVariantId })
    await api.request("POST", "/admin/amazon/sync", { stream: "fba_stock" })
    await waitFor("the FBA location", async () => (await api.request("GET", `/admin/amazon/accounts/${accountId}`)).account?.settings?.fba_location_ids?.[DE], 60_000)
    const { sales_channels } = await api.request("GET", "/admin/sales-channels?limit=50")
    const webshop = sales_channels.find((c: { name: string }) => c.name !== "Amazon")
    await page.goto(`${base}/app/settings/amazon`)
    const mcf = page.locator('[data-testid^="mcf-amzacc_"]')
    await mcf.getByText("Ship store orders from FBA (Multi-Channel Fulfillment)").waitFor()
    await mcf.getByLabel(webshop.name).check()
    await mcf.getByLabel(/Standard price/).fill("4.90")
    await shot("21-mcf-setup", `Ship store orders from FBA: the FBA stock of Amazon.de, the price the customer pays for Amazon's Standard speed, the store's sales channel (${webshop.name}); how Amazon ships and what happens when stock is short`, { height: 1900 })
    await mcf.getByRole("button", { name: "Offer Amazon shipping" }).click()
    await see("Amazon MCF shipping is offered")
    // the shopper: a cart in the web shop, Amazon's Standard speed, paid, completed (Medusa's store API)
    const { api_key } = await api.request("POST", "/admin/api-keys", { title: "Web shop", type: "publishable" })
    await api.request("POST", `/admin/api-keys/${api_key.id}/sales-channels`, { add: [webshop.id] })
    const { regions } = await api.request("GET", "/admin/regions?limit=50&fields=id,countries.iso_2,currency_code")
    let region = regions.find((r: any) => r.currency_code === "eur" && (r.countries ?? []).some((c: any) => c.iso_2 === "de"))
    if (!region) region = (await api.request("POST", "/admin/regions", { name: "Germany", currency_code: "eur", countries: ["de"], payment_providers: ["pp_system_default"] })).region
    const storeApi = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: { "content-type": "application/json", "x-publishable-api-key": api_key.token },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 500)}`)
      return JSON.parse(text)
    }
    const { cart } = await storeApi("POST", "/store/carts", {
      region_id: region.id,
      sales_channel_id: webshop.id,
      email: "shopper@example.com",
      items: [{ variant_id: cupVariantId, quantity: 2 }],
      shipping_address: { first_name: "Mia", last_name: "Muster", address_1: "Allee 5", city: "Hamburg", postal_code: "20095", country_code: "de" },
    })
    const { shipping_options } = await storeApi("GET", `/store/shipping-options?cart_id=${cart.id}`)
    const amazonOption = shipping_options.find((o: { provider_id: string }) => o.provider_id === "amazon-mcf_amazon-mcf")
    if (!amazonOption) throw new Error(`the checkout offers no Amazon MCF option: ${JSON.stringify(shipping_options.map((o: any) => o.name))}`)
    await storeApi("POST", `/store/carts/${cart.id}/shipping-methods`, { option_id: amazonOption.id })
    const { payment_collection } = await storeApi("POST", "/store/payment-collections", { cart_id: cart.id })
    await storeApi("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" })
    const completed = await storeApi("POST", `/store/carts/${cart.id}/complete`)
    const shopOrder = completed.order
    // staff fulfil it from the FBA location: Amazon gets the MCF order
    const fbaLocationId = (await api.request("GET", `/admin/amazon/accounts/${accountId}`)).account.settings.fba_location_ids[DE]
    await api.request("POST", `/admin/orders/${shopOrder.id}/fulfillments`, { items: [{ id: shopOrder.items[0].id, quantity: 2 }], location_id: fbaLocationId })
    const [mcfOrder] = sim.control.listMcfOrders(SELLER.sellerId)
    if (!mcfOrder) throw new Error("Amazon (the simulator) has no MCF order after the fulfillment")
    // Amazon ships; the tracking job (every 5 s here) records the shipment with Amazon's tracking number
    sim.control.advanceMcfOrder(mcfOrder.order.orderId, "shipped", SELLER.sellerId)
    const mcfTracking: string = (mcfOrder as any).order.shipments?.[0]?.packages?.[0]?.tracking?.carrier?.trackingNumber
      ?? (sim.control.getMcfOrder(mcfOrder.order.orderId, SELLER.sellerId) as any).order.shipments[0].packages[0].tracking.carrier.trackingNumber
    await waitFor("the Medusa shipment with Amazon's tracking", async () => {
      const { order } = await api.request("GET", `/admin/orders/${shopOrder.id}?fields=id,fulfillments.shipped_at,fulfillments.labels.tracking_number`)
      return order.fulfillments?.some((f: any) => f.shipped_at && (f.labels ?? []).some((l: any) => l.tracking_number === mcfTracking))
    }, 60_000)
    await page.goto(`${base}/app/amazon`)
    await page.getByTestId("amazon-mcf").getByText(mcfTracking).waitFor({ timeout: STEP_TIMEOUT })
    await page.getByTestId("amazon-mcf").getByText("On its way").waitFor()
    await page.getByTestId("amazon-mcf").scrollIntoViewIfNeeded()
    await shot("21b-mcf-orders", `Shipped by Amazon (MCF) on the dashboard: the store order fulfilled from FBA, its state at Amazon and the carrier's tracking number ${mcfTracking}, which is also the Medusa shipment's label`, { height: 2600 })
    // ... and on the store order's own page
    await page.goto(`${base}/app/orders/${shopOrder.id}`)
    await page.getByTestId("order-mcf-widget").getByText(mcfTracking).waitFor({ timeout: STEP_TIMEOUT })
    await shot("21c-mcf-order-page", `The store order's page: the Shipped by Amazon (MCF) widget with the state at Amazon and tracking ${mcfTracking}, beside Medusa's own fulfillment (shipped)`)

    // 12. the settings page with the connected account
    await page.goto(`${base}/app/settings/amazon`)
    await see(/Last connection test/)
    await see(/^OK · /)
    await see("Quick updates per run")
    await shot("13-settings-account", "Settings → Amazon with the connected account: credentials set, authorised date, last test OK, settings summary", { height: 1500 })

    // 13. the chart: the sample job records a point every minute in this run
    await page.goto(`${base}/app/amazon`)
    await page.getByRole("img", { name: "Queue depth and lag over time" }).waitFor({ timeout: 150_000 })
    await verdict("healthy", /^Stock and orders are in sync/)
    await shot("14-dashboard-chart", "Dashboard at the end: queue depth / lag chart from the recorded samples, warnings, errors to act on, feeds, orders needing attention", {
      height: 2400,
    })
    log("all steps passed")
  } catch (e) {
    failed = e
    process.stderr.write(`[browser] FAILED: ${(e as Error)?.stack ?? e}\n`)
    // what the app said about Amazon before the failure (the whole log is kept with the artifacts)
    if (existsSync(appLog)) {
      const lines = readFileSync(appLog, "utf8").split("\n").filter((l) => /amazon|error|warn/i.test(l))
      process.stderr.write(`[browser] the app log's last Amazon / warning lines:\n${lines.slice(-60).join("\n")}\n`)
    }
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
