/**
 * Request hygiene of the plugin's admin routes and buyer-data retention:
 * - writes take application/json only (a cross-site HTML form posted with the admin's session cookie
 *   changes nothing: 415);
 * - a NUL character in a query or JSON body, or an over-deep JSON body, is a 400 that never logs the NUL;
 * - closed Amazon orders lose their buyer data after the retention period, and the API never serves it.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, SimulatorHandle } from "../../simulator"
import amazonRemoveBuyerDataJob from "../../src/jobs/amazon-remove-buyer-data"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { removeAmazonBuyerDataWorkflow } from "../../src/workflows/retention/remove-amazon-buyer-data"
import { createAdminUser } from "../helpers/admin"
import { accountBody, call, captureLogs, DE, quietScheduledJobs, seedSimSeller } from "./admin-support"

quietScheduledJobs()

jest.setTimeout(180_000)

const DAY = 86_400_000

/** A real admin session: an emailpass identity, a login, and the session cookie POST /auth/session sets. */
async function adminSessionCookie(api: any, container: MedusaContainer): Promise<string> {
  const email = "session-admin@medusa.test"
  const password = "correct horse battery staple"
  const user = await container.resolve(Modules.USER).createUsers({ email, first_name: "Sam", last_name: "Session" })
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } } as any)
  expect(error).toBeUndefined()
  await auth.updateAuthIdentities({ id: authIdentity!.id, app_metadata: { user_id: user.id } })
  const login = await api.post("/auth/user/emailpass", { email, password })
  const session = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${login.data.token}` } })
  const cookie = String(session.headers["set-cookie"]?.[0] ?? "").split(";")[0]
  expect(cookie).toMatch(/^connect\.sid=/)
  return cookie
}

/** A request with exactly these headers and body (what a browser form or a no-cors fetch sends). */
async function raw(api: any, method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${api.defaults.baseURL}${path}`, { method, body: init.body, headers: init.headers })
  const text = await res.text()
  let data: any = text
  try {
    data = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: res.status, data }
}

function nestedBody(depth: number): unknown {
  let v: unknown = "x"
  for (let i = 1; i < depth; i++) {
    v = { deeper: v }
  }
  return v
}

/** The UK fixture order (buyer, e-mail, delivery address, phone) under another order id. */
function orderPayload(orderId: string, status: string, lastUpdated: Date) {
  const file = join(__dirname, "../../src/lib/amazon/__tests__/fixtures/orders-2026-get-order.partially-shipped.json")
  const order = JSON.parse(readFileSync(file, "utf8")).order
  order.orderId = orderId
  order.lastUpdatedTime = lastUpdated.toISOString()
  order.fulfillment.fulfillmentStatus = status
  order.orderItems[0].fulfillment.packing = { giftOption: { giftMessage: "Happy birthday Sarah", giftWrapLevel: "STANDARD" } }
  return order
}

const BUYER_STRINGS = ["Sarah Thompson", "xyz789@marketplace.amazon.co.uk", "45 Oak Avenue", "SW1A 1AA", "+44 20 7946 0958", "Happy birthday Sarah"]

function buyerStringsIn(value: unknown): string[] {
  const text = JSON.stringify(value)
  return BUYER_STRINGS.filter((s) => text.includes(s))
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let sim: SimulatorHandle
    let headers: Record<string, string>

    beforeAll(async () => {
      sim = await startSimulator({ timeScale: 1 })
    })
    afterAll(async () => {
      await sim?.close()
    })
    beforeEach(async () => {
      ;({ headers } = await createAdminUser(getContainer()))
    })

    async function createAccount() {
      const created = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seedSimSeller(sim), { name: "Original name" }), headers)
      expect(created.status).toBe(201)
      return created.data.account as { id: string; name: string }
    }

    it("takes writes as application/json only: a cross-site form posted with the admin's session cookie changes nothing (415)", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const account = await createAccount()
      const [listing] = await amazon.createAmazonListings([{ account_id: account.id, marketplace_id: DE, seller_sku: "CSRF-SKU-1" }])
      const cookie = await adminSessionCookie(api, container)
      const cursorsBefore = (await amazon.listAmazonSyncCursors({})).length

      // the session works, for reads and for JSON writes alike
      expect((await raw(api, "GET", `/admin/amazon/accounts/${account.id}`, { headers: { cookie } })).status).toBe(200)

      const boundary = "----WebKitFormBoundaryCsrf42"
      const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nEvil name\r\n--${boundary}--\r\n`
      // the three encodings an HTML form can send, plus a no-cors fetch with no body and no Content-Type
      const attacks: [string, string, { body?: string; headers: Record<string, string> }][] = [
        ["POST", `/admin/amazon/accounts/${account.id}`, { body: "name=Evil+name", headers: { "content-type": "application/x-www-form-urlencoded" } }],
        ["POST", `/admin/amazon/accounts/${account.id}`, { body: multipart, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } }],
        ["POST", `/admin/amazon/accounts/${account.id}`, { body: '{"name":"Evil name"}', headers: { "content-type": "text/plain;charset=UTF-8" } }],
        ["POST", `/admin/amazon/accounts/${account.id}`, { headers: {} }],
        ["POST", `/admin/amazon/listings/${listing.id}`, { body: "rules[buffer]=999", headers: { "content-type": "application/x-www-form-urlencoded" } }],
        ["POST", `/admin/amazon/listings/${listing.id}`, { body: '{"rules":{"buffer":999}}', headers: { "content-type": "text/plain" } }],
        ["POST", "/admin/amazon/sync", { body: "stream=feed_results", headers: { "content-type": "application/x-www-form-urlencoded" } }],
        ["POST", "/admin/amazon/sync", { body: '{"stream":"feed_results"}', headers: { "content-type": "text/plain" } }],
        ["DELETE", `/admin/amazon/accounts/${account.id}`, { body: "", headers: { "content-type": "application/x-www-form-urlencoded" } }],
      ]
      for (const [method, path, init] of attacks) {
        const res = await raw(api, method, path, { body: init.body, headers: { ...init.headers, cookie } })
        expect({ method, path, ct: init.headers["content-type"] ?? null, status: res.status }).toEqual({
          method,
          path,
          ct: init.headers["content-type"] ?? null,
          status: 415,
        })
        expect(res.data.message).toMatch(/application\/json/)
      }
      const formRes = await raw(api, "POST", `/admin/amazon/accounts/${account.id}`, {
        body: "name=Evil+name",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      })
      expect(formRes.data).toEqual({
        type: "unsupported_media_type",
        message: 'Content-Type "application/x-www-form-urlencoded" is not accepted: POST requests to the Amazon admin API take application/json only',
      })

      // nothing was written: the account, the listing's rules, no sync claimed
      const [after] = await amazon.listAmazonAccounts({ id: account.id })
      expect(after.name).toBe("Original name")
      const [listingAfter] = await amazon.listAmazonListings({ id: listing.id })
      expect(listingAfter.rules).toBeNull()
      // ("sync now" claims its stream with a cursor row before it emits anything)
      expect(await amazon.listAmazonSyncCursors({})).toHaveLength(cursorsBefore)

      // the admin's JS SDK sends content-type: application/json on every request, with or without a body
      const json = await raw(api, "POST", `/admin/amazon/accounts/${account.id}`, {
        body: JSON.stringify({ name: "Renamed by the admin" }),
        headers: { "content-type": "application/json", cookie },
      })
      expect(json.status).toBe(200)
      expect(json.data.account.name).toBe("Renamed by the admin")
      const emptyJson = await raw(api, "POST", `/admin/amazon/accounts/${account.id}`, { headers: { "content-type": "application/json", cookie } })
      expect(emptyJson.status).toBe(200)
      const rules = await raw(api, "POST", `/admin/amazon/listings/${listing.id}`, {
        body: JSON.stringify({ rules: { buffer: 2 } }),
        headers: { "content-type": "application/json; charset=utf-8", cookie },
      })
      expect([rules.status, rules.data.listing?.rules]).toEqual([200, { buffer: 2 }])
      // a DELETE without a body needs no Content-Type (a browser preflights every cross-site DELETE)
      const deleted = await raw(api, "DELETE", `/admin/amazon/accounts/${account.id}`, { headers: { cookie } })
      expect(deleted.status).toBe(200)
      expect(await amazon.listAmazonAccounts({ id: account.id })).toHaveLength(0)
    })

    it("answers 400 to a NUL character in a query or JSON body and to an over-deep or huge body, before any validator, and never logs the NUL", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const account = await createAccount()
      const logs = captureLogs(container)
      try {
        const q = await call(api, "get", "/admin/amazon/listings?q=%00", undefined, headers)
        expect([q.status, q.data.message]).toEqual([400, 'Query parameter "q" contains a NUL character'])
        const inner = await call(api, "get", "/admin/amazon/orders?q=ab%00cd&limit=5", undefined, headers)
        expect([inner.status, inner.data.message]).toEqual([400, 'Query parameter "q" contains a NUL character'])
        const key = await call(api, "get", "/admin/amazon/listings?na%00me=1", undefined, headers)
        expect([key.status, key.data.message]).toEqual([400, 'Query parameter "na?me" has a name that contains a NUL character'])
        const path = await call(api, "get", "/admin/amazon/listings/amzlst_%00", undefined, headers)
        expect([path.status, path.data.message]).toEqual([400, "The URL path contains a NUL character"])

        const body = await call(api, "post", `/admin/amazon/accounts/${account.id}`, { name: "Shop\u0000DE" }, headers)
        expect([body.status, body.data.message]).toEqual([400, 'Body field "name" contains a NUL character'])
        const nested = await call(api, "post", `/admin/amazon/accounts/${account.id}`, { settings: { rules: { "\u0000": 1 } } }, headers)
        expect([nested.status, nested.data.message]).toEqual([400, 'Body field "settings.rules.?" has a name that contains a NUL character'])

        const deep = await call(api, "post", `/admin/amazon/accounts/${account.id}`, { settings: nestedBody(100) }, headers)
        expect([deep.status, deep.data.message]).toEqual([400, "The request body is nested deeper than 32 levels"])
        const wide = await call(api, "post", "/admin/amazon/sync-logs/resolve", { ids: Array.from({ length: 10_001 }, (_, i) => `x${i}`) }, headers)
        expect([wide.status, wide.data.message]).toEqual([400, "The request body has more than 10000 values"])
        // a body the plugin's validators would refuse anyway still gets its own message from them
        const ordinary = await call(api, "post", "/admin/amazon/sync-logs/resolve", { ids: ["a"], extra: 1 }, headers)
        expect([ordinary.status, ordinary.data.message]).toEqual([400, expect.stringMatching(/Unrecognized fields: 'extra'/)])

        const [after] = await amazon.listAmazonAccounts({ id: account.id })
        expect(after.name).toBe("Original name")
      } finally {
        logs.restore()
      }
      expect(logs.lines.filter((l) => l.includes("\u0000"))).toEqual([])
      // the refusals were logged (Medusa logs 4xx at info), so the check above saw them
      expect(logs.lines.some((l) => l.includes("contains a NUL character"))).toBe(true)
    })

    it("removes buyer data from orders closed longer than the retention period, in bulk and idempotently; the API never serves it", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const account = await createAccount()
      const now = Date.now()
      const rows = [
        { key: "shipped31", status: "SHIPPED", age: 31 },
        { key: "cancelled40", status: "CANCELLED", age: 40 },
        { key: "shipped10", status: "SHIPPED", age: 10 },
        { key: "unshipped60", status: "UNSHIPPED", age: 60 },
      ]
      const created = await amazon.createAmazonOrders(
        rows.map((r, i) => {
          const updated = new Date(now - r.age * DAY)
          const orderId = `026-5550003-000010${i}`
          return {
            account_id: account.id,
            amazon_order_id: orderId,
            marketplace_id: "A1F83G8C2ARO7P",
            status: r.status,
            fulfillment_channel: "MERCHANT" as const,
            amazon_created_at: new Date(updated.getTime() - DAY),
            amazon_updated_at: updated,
            import_status: "imported" as const,
            payload: orderPayload(orderId, r.status, updated),
          }
        })
      )
      const id = Object.fromEntries(rows.map((r, i) => [r.key, created[i].id])) as Record<string, string>
      const read = async (key: string) => (await amazon.listAmazonOrders({ id: id[key] }))[0]
      expect(buyerStringsIn((await read("shipped31")).payload)).toEqual(BUYER_STRINGS)

      // --- the API never serves buyer data, before or after the retention
      for (const url of [
        "/admin/amazon/orders",
        "/admin/amazon/orders?fields=%2Bpayload",
        "/admin/amazon/orders?fields=payload,applied",
        "/admin/amazon/orders?fields=*",
        "/admin/amazon/orders?fields=*payload",
      ]) {
        const list = await call(api, "get", url, undefined, headers)
        expect([url, list.status, list.data.orders?.length]).toEqual([url, 200, 4])
        expect([url, buyerStringsIn(list.data)]).toEqual([url, []])
        expect(list.data.orders.every((o: Record<string, unknown>) => !("payload" in o))).toBe(true)
      }
      const detail = await call(api, "get", `/admin/amazon/orders/${id.shipped10}`, undefined, headers)
      expect(detail.status).toBe(200)
      expect(buyerStringsIn(detail.data)).toEqual([])
      // the rest of the payload is there for review
      expect(detail.data.amazon_order.payload).toMatchObject({
        orderId: "026-5550003-0000102",
        fulfillment: { fulfillmentStatus: "SHIPPED" },
        orderItems: [{ orderItemId: "55500030000031", product: { sellerSku: "CABLE-USBC-1M" }, quantityOrdered: 3 }, { orderItemId: "55500030000032" }],
      })
      expect(detail.data.amazon_order.payload.buyer).toBeUndefined()
      expect(detail.data.amazon_order.payload.recipient).toBeUndefined()
      // …and the stored row still has it (inside the retention period)
      expect(buyerStringsIn((await read("shipped10")).payload)).toEqual(BUYER_STRINGS)

      // --- the retention run, through the daily job (default 30 days)
      const logs = captureLogs(container)
      try {
        await amazonRemoveBuyerDataJob(container)
      } finally {
        logs.restore()
      }
      expect(logs.lines.some((l) => /amazon buyer data: removed \d+ field\(s\) from 2 order\(s\)/.test(l))).toBe(true)
      expect(logs.lines.flatMap((l) => BUYER_STRINGS.filter((s) => l.includes(s)))).toEqual([])

      const shipped31 = await read("shipped31")
      const cancelled40 = await read("cancelled40")
      for (const row of [shipped31, cancelled40]) {
        expect(buyerStringsIn(row.payload)).toEqual([])
        expect(row.buyer_data_removed_at).toBeInstanceOf(Date)
        const payload = row.payload as any
        expect(payload.orderItems.map((i: any) => [i.orderItemId, i.product.sellerSku, i.quantityOrdered])).toEqual([
          ["55500030000031", "CABLE-USBC-1M", 3],
          ["55500030000032", "CHARGER-65W", 1],
        ])
        expect(payload.orderItems[0].fulfillment).toEqual({ quantityFulfilled: 2, quantityUnfulfilled: 1, packing: { giftOption: { giftWrapLevel: "STANDARD" } } })
      }
      // closed 10 days ago, or not closed at all: untouched
      for (const key of ["shipped10", "unshipped60"]) {
        const row = await read(key)
        expect([key, buyerStringsIn(row.payload), row.buyer_data_removed_at]).toEqual([key, BUYER_STRINGS, null])
      }

      // --- running again is harmless: nothing due, nothing written
      const again = await removeAmazonBuyerDataWorkflow(container).run({ input: {} })
      expect(again.result.removed).toEqual({ redacted: 0, marked: 0, fields: 0 })
      const shipped31Again = await read("shipped31")
      expect(shipped31Again.payload).toEqual(shipped31.payload)
      expect(shipped31Again.buyer_data_removed_at).toEqual(shipped31.buyer_data_removed_at)
      expect(shipped31Again.updated_at).toEqual(shipped31.updated_at)

      // --- a payload written again after the removal (the import stores each version Amazon sends) is cleaned again
      await amazon.updateAmazonOrders({ id: id.shipped31, payload: orderPayload("026-5550003-0000100", "SHIPPED", new Date(now - 31 * DAY)) })
      expect(buyerStringsIn((await read("shipped31")).payload)).toEqual(expect.arrayContaining(["Sarah Thompson", "xyz789@marketplace.amazon.co.uk"]))
      const rewritten = await removeAmazonBuyerDataWorkflow(container).run({ input: {} })
      expect(rewritten.result.removed).toMatchObject({ redacted: 1, marked: 0 })
      expect(buyerStringsIn((await read("shipped31")).payload)).toEqual([])

      // --- a shorter retention reaches the 10-day-old order; the open one stays whatever its age
      const shorter = await removeAmazonBuyerDataWorkflow(container).run({ input: { retention_days: 7 } })
      expect(shorter.result).toMatchObject({ retention_days: 7, removed: { redacted: 1 } })
      expect(buyerStringsIn((await read("shipped10")).payload)).toEqual([])
      expect(buyerStringsIn((await read("unshipped60")).payload)).toEqual(BUYER_STRINGS)

      const finalList = await call(api, "get", "/admin/amazon/orders?fields=%2Bbuyer_data_removed_at", undefined, headers)
      expect(finalList.data.orders.filter((o: any) => o.buyer_data_removed_at).length).toBe(3)
    })
  },
})
