import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { startSimulator, SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { testAmazonConnectionWorkflow } from "../../src/workflows/admin/test-amazon-connection"
import { createAdminUser } from "../helpers/admin"
import { accountBody, call, captureLogs, DE, FR, quietScheduledJobs, seedSimSeller, US } from "./admin-support"

quietScheduledJobs()

jest.setTimeout(180_000)

function figure(name: string, value: unknown) {
  process.stdout.write(`[admin figure] ${name}: ${JSON.stringify(value)}\n`)
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

    it("rejects every account route without an admin session (401)", async () => {
      const routes: ["get" | "post" | "delete", string][] = [
        ["get", "/admin/amazon/accounts"],
        ["post", "/admin/amazon/accounts"],
        ["get", "/admin/amazon/accounts/amzacc_x"],
        ["post", "/admin/amazon/accounts/amzacc_x"],
        ["delete", "/admin/amazon/accounts/amzacc_x"],
        ["post", "/admin/amazon/accounts/amzacc_x/test-connection"],
      ]
      for (const [method, url] of routes) {
        const res = await call(api, method, url, {})
        expect([method, url, res.status]).toEqual([method, url, 401])
      }
    })

    it("creates, reads, updates and deletes accounts; secrets are write-only and never in a response or a log line", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const logs = captureLogs(container)
      const bodies: string[] = []
      const seller = seedSimSeller(sim)
      const secrets = [seller.clientSecret, seller.refreshToken, "rotated-client-secret-XYZ", "Atzr|rotated-refresh-XYZ", "12345678987654321"]
      try {
        // --- invalid bodies: 400 with a message that names the problem and never echoes a secret
        const invalid: [Record<string, unknown>, RegExp][] = [
          [{ ...accountBody(sim, seller), region: "XX" }, /region/],
          [{ ...accountBody(sim, seller), marketplace_ids: [] }, /marketplace_ids/],
          [{ ...accountBody(sim, seller), marketplace_ids: ["NOPE"] }, /marketplace_ids.*NOPE/],
          [{ ...accountBody(sim, seller), marketplace_ids: [US] }, /belongs to region NA/],
          [{ ...accountBody(sim, seller), lwa_client_secret: 12345678987654321 }, /lwa_client_secret' must be a non-empty string/],
          [{ ...accountBody(sim, seller), refresh_token: "" }, /refresh_token' must be a non-empty string/],
          [{ ...accountBody(sim, seller), unknown_field: 1 }, /Unrecognized fields: 'unknown_field'/],
          [{ ...accountBody(sim, seller), sp_api_base_url: "ftp://x" }, /sp_api_base_url' must be an http\(s\) URL/],
          [{ ...accountBody(sim, seller), settings: { rules: { percentage: 150 } } }, /percentage/],
          [{ ...accountBody(sim, seller), settings: { fba_location_ids: {} } }, /fba_location_ids/],
          [(({ lwa_client_id, ...rest }) => rest)(accountBody(sim, seller)), /lwa_client_id/],
        ]
        for (const [body, message] of invalid) {
          const res = await call(api, "post", "/admin/amazon/accounts", body, headers)
          bodies.push(JSON.stringify(res.data))
          expect({ status: res.status, message: res.data.message }).toEqual({ status: 400, message: expect.stringMatching(message) })
        }
        expect(await amazon.listAmazonAccounts({})).toHaveLength(0)

        // --- create
        const created = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seller, { settings: { rules: { buffer: 2 }, sales_channel_id: null } }), headers)
        bodies.push(JSON.stringify(created.data))
        expect(created.status).toBe(201)
        const account = created.data.account
        expect(account).toMatchObject({
          seller_id: seller.sellerId,
          region: "EU",
          marketplace_ids: [DE],
          lwa_client_secret_set: true,
          refresh_token_set: true,
          enabled: true,
          settings: { rules: { buffer: 2 } },
          last_connection_test: null,
        })
        expect(account.authorized_at).toBeTruthy()
        expect(Object.keys(account).some((k) => /encrypted|^lwa_client_secret$|^refresh_token$/.test(k))).toBe(false)

        // the same seller and region twice is refused
        const duplicate = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seller), headers)
        bodies.push(JSON.stringify(duplicate.data))
        expect(duplicate.status).toBeGreaterThanOrEqual(400)
        expect(duplicate.status).toBeLessThan(500)

        // --- read
        const list = await call(api, "get", "/admin/amazon/accounts", undefined, headers)
        const one = await call(api, "get", `/admin/amazon/accounts/${account.id}`, undefined, headers)
        const missing = await call(api, "get", "/admin/amazon/accounts/amzacc_missing", undefined, headers)
        bodies.push(JSON.stringify(list.data), JSON.stringify(one.data))
        expect(list.data).toMatchObject({ count: 1, accounts: [{ id: account.id, lwa_client_secret_set: true }] })
        expect(one.data.account).toMatchObject({ id: account.id, refresh_token_set: true })
        expect(missing.status).toBe(404)
        const badQuery = await call(api, "get", "/admin/amazon/accounts?enabled=maybe", undefined, headers)
        expect(badQuery.status).toBe(400)

        // --- update settings: merged key by key; keys other features own survive; null removes a key
        await amazon.setFbaLocationId(account.id, DE, "sloc_fba_de")
        const container2 = container.resolve(Modules.STOCK_LOCATION)
        const [location] = await container2.createStockLocations([{ name: "Berlin" }])
        const s1 = await call(api, "post", `/admin/amazon/accounts/${account.id}`, {
          settings: { stock_location_ids: [location.id], push: { max_patches_per_run: 0, stuck_after_minutes: 30 } },
        }, headers)
        expect(s1.status).toBe(200)
        expect(s1.data.account.settings).toEqual({
          rules: { buffer: 2 },
          stock_location_ids: [location.id],
          push: { max_patches_per_run: 0, stuck_after_minutes: 30 },
          fba_location_ids: { [DE]: "sloc_fba_de" },
        })
        const s2 = await call(api, "post", `/admin/amazon/accounts/${account.id}`, { settings: { rules: null, unmanaged_quantity: 7 }, enabled: false, name: "Renamed" }, headers)
        expect(s2.data.account).toMatchObject({
          name: "Renamed",
          enabled: false,
          settings: { stock_location_ids: [location.id], unmanaged_quantity: 7, fba_location_ids: { [DE]: "sloc_fba_de" } },
        })
        expect(s2.data.account.settings.rules).toBeUndefined()
        const badSettings = [
          [{ settings: { push: { op: "nope" } } }, /op/],
          [{ settings: { rules: { buffer: -1 } } }, /buffer/],
          [{ settings: { nope: 1 } }, /nope/],
          [{ marketplace_ids: [US] }, /belongs to region NA/],
          [{ lwa_client_secret: { value: "12345678987654321" } }, /lwa_client_secret' must be a non-empty string/],
        ] as const
        for (const [body, message] of badSettings) {
          const res = await call(api, "post", `/admin/amazon/accounts/${account.id}`, body, headers)
          bodies.push(JSON.stringify(res.data))
          expect({ status: res.status, message: res.data.message }).toEqual({ status: 400, message: expect.stringMatching(message) })
        }
        // a failed update changed nothing
        expect((await amazon.retrieveAmazonAccount(account.id)).marketplace_ids).toEqual([DE])

        // --- secrets: an omitted secret is kept, a given one replaces the stored one and restarts the authorisation clock
        const before = await amazon.retrieveAmazonAccount(account.id)
        await call(api, "post", `/admin/amazon/accounts/${account.id}`, { marketplace_ids: [DE, FR] }, headers)
        expect(await amazon.getAccountCredentials(account.id)).toMatchObject({ clientSecret: seller.clientSecret, refreshToken: seller.refreshToken })
        const rotated = await call(api, "post", `/admin/amazon/accounts/${account.id}`, {
          lwa_client_secret: "rotated-client-secret-XYZ",
          refresh_token: "Atzr|rotated-refresh-XYZ",
        }, headers)
        bodies.push(JSON.stringify(rotated.data))
        expect(rotated.data.account).toMatchObject({ lwa_client_secret_set: true, refresh_token_set: true, marketplace_ids: [DE, FR] })
        expect(new Date(rotated.data.account.authorized_at).getTime()).toBeGreaterThan(new Date(before.authorized_at as any).getTime())
        expect(await amazon.getAccountCredentials(account.id)).toMatchObject({
          clientSecret: "rotated-client-secret-XYZ",
          refreshToken: "Atzr|rotated-refresh-XYZ",
        })
        const stored = await amazon.retrieveAmazonAccount(account.id)
        expect(stored.refresh_token_encrypted).toMatch(/^v2:/)
        expect(stored.refresh_token_encrypted).not.toContain("rotated")

        // --- delete: the account and its listings go, the listings' variant links go with them
        const listing = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: DE, seller_sku: "DEL-1" })
        const product = await container.resolve(Modules.PRODUCT).createProducts([
          { title: "Del", options: [{ title: "S", values: ["M"] }], variants: [{ title: "M", sku: "DEL-1", options: { S: "M" } }] },
        ])
        await container.resolve(ContainerRegistrationKeys.LINK).create({
          [AMAZON_MODULE]: { amazon_listing_id: listing.id },
          [Modules.PRODUCT]: { product_variant_id: product[0].variants[0].id },
        })
        const del = await call(api, "delete", `/admin/amazon/accounts/${account.id}`, undefined, headers)
        expect(del.data).toEqual({ id: account.id, object: "amazon_account", deleted: true })
        expect((await call(api, "get", `/admin/amazon/accounts/${account.id}`, undefined, headers)).status).toBe(404)
        expect(await amazon.listAmazonListings({ account_id: account.id })).toHaveLength(0)
        const { data: variantLinks } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "product_variant",
          fields: ["id", "amazon_listings.id"],
          filters: { id: product[0].variants[0].id },
        })
        expect(variantLinks[0].amazon_listings ?? []).toEqual([])
        expect((await call(api, "delete", `/admin/amazon/accounts/${account.id}`, undefined, headers)).status).toBe(404)
      } finally {
        logs.restore()
      }
      const everything = [...bodies, ...logs.lines].join("\n")
      for (const secret of secrets) {
        expect(everything).not.toContain(secret)
      }
      expect(bodies.join("\n")).not.toMatch(/encrypted|v[12]:[A-Za-z0-9+/=]+:/)
      // Medusa logs the 4xx answers' messages, so the check above really looked at log lines
      expect(logs.lines.join("\n")).toMatch(/Invalid request: Field 'lwa_client_secret' must be a non-empty string/)
    })

    it("tests the connection (token exchange + marketplace participations) and shows a failure clearly", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const logs = captureLogs(container)
      const seller = seedSimSeller(sim, [DE])
      const bodies: string[] = []
      try {
        const { data } = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seller, { marketplace_ids: [DE, FR] }), headers)
        const id = data.account.id

        const started = Date.now()
        const ok = await call(api, "post", `/admin/amazon/accounts/${id}/test-connection`, {}, headers)
        figure("test connection round trip (route → LWA → getMarketplaceParticipations), ms", Date.now() - started)
        bodies.push(JSON.stringify(ok.data))
        expect(ok.status).toBe(200)
        expect(ok.data.connection).toMatchObject({
          ok: true,
          code: null,
          marketplaces: [expect.objectContaining({ id: DE, name: "Amazon.de", country_code: "DE", currency_code: "EUR", is_participating: true })],
          // the account lists FR, the seller does not sell there
          missing_marketplace_ids: [FR],
        })
        expect(sim.control.counters()["sellers-v1.getMarketplaceParticipations"]?.succeeded ?? 0).toBeGreaterThan(0)

        // wrong secret: a result with Amazon's code, recorded as an error to act on
        await call(api, "post", `/admin/amazon/accounts/${id}`, { lwa_client_secret: "definitely-wrong-secret" }, headers)
        const bad = await call(api, "post", `/admin/amazon/accounts/${id}/test-connection`, {}, headers)
        bodies.push(JSON.stringify(bad.data))
        expect(bad.status).toBe(200)
        expect(bad.data.connection).toMatchObject({ ok: false, code: "invalid_client", message: expect.stringMatching(/LWA token exchange failed \(401\)/) })
        const [logged] = await amazon.listAmazonSyncLogs({ account_id: id, stream: "connection", level: "error" })
        expect(logged).toMatchObject({ code: "invalid_client", resolved_at: null })
        const listed = await call(api, "get", "/admin/amazon/accounts", undefined, headers)
        expect(listed.data.accounts[0].last_connection_test).toMatchObject({ ok: false, code: "invalid_client" })

        // fixed: ok again, and the earlier connection error is resolved
        await call(api, "post", `/admin/amazon/accounts/${id}`, { lwa_client_secret: seller.clientSecret, marketplace_ids: [DE] }, headers)
        const fixed = await call(api, "post", `/admin/amazon/accounts/${id}/test-connection`, {}, headers)
        expect(fixed.data.connection).toMatchObject({ ok: true, missing_marketplace_ids: [] })
        expect((await amazon.retrieveAmazonSyncLog(logged.id)).resolved_at).not.toBeNull()

        // Amazon too slow: the answer still comes within the deadline, as a clear Timeout. Amazon's delay
        // (20 s) is far beyond the bound (10 s), itself far beyond the deadline (0.8 s), so a loaded machine
        // cannot fail this while an answer that waited for Amazon still does.
        sim.control.injectFault({ type: "latency", operation: "getMarketplaceParticipations", ms: 20_000, count: 1 })
        const t0 = Date.now()
        const { result: slow } = await testAmazonConnectionWorkflow(container).run({ input: { account_id: id, deadline_ms: 800 } })
        figure("test connection with a 20 s Amazon delay and a 0.8 s deadline answered after, ms", Date.now() - t0)
        expect(slow).toMatchObject({ ok: false, code: "Timeout", message: expect.stringMatching(/did not answer within 1 s/) })
        expect(Date.now() - t0).toBeLessThan(10_000)
        sim.control.clearFaults()

        // unknown account: 404
        expect((await call(api, "post", "/admin/amazon/accounts/amzacc_missing/test-connection", {}, headers)).status).toBe(404)
        const extra = await call(api, "post", `/admin/amazon/accounts/${id}/test-connection`, { deadline_ms: 1 }, headers)
        expect(extra.status).toBe(400)
      } finally {
        logs.restore()
      }
      const everything = [...bodies, ...logs.lines].join("\n")
      for (const secret of [seller.clientSecret, seller.refreshToken, "definitely-wrong-secret"]) {
        expect(everything).not.toContain(secret)
      }
      expect(everything).not.toMatch(/Atza\|/)
    })
  },
})
