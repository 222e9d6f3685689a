import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { startSimulator, SimulatorHandle } from "../../simulator"
import { startLocalServer } from "../../src/lib/amazon/__tests__/local-server"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { createAdminUser } from "../helpers/admin"
import { accountBody, call, quietScheduledJobs, seedSimSeller } from "./admin-support"

/**
 * Issue 13, part 1: the credentials of an account go to Amazon, or to an endpoint the store's
 * configuration allows, and nowhere else, whatever an admin posts. The store here is configured as a
 * merchant's would be for a simulator: loopback hosts are NOT allowed in general (the development switch
 * is off), only the simulator's origin and one "proxy" origin are listed. A capture server on another
 * loopback port must never see a request.
 */
quietScheduledJobs()
jest.setTimeout(180_000)

process.env.AMAZON_ALLOW_LOOPBACK_ENDPOINTS = "false"

let sim: SimulatorHandle
let capture: Awaited<ReturnType<typeof startLocalServer>>
let redirector: Awaited<ReturnType<typeof startLocalServer>>

// Before the app boots (the runner's own beforeAll, nested below), so medusa-config reads the origins.
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 1 })
  capture = await startLocalServer(() => ({ status: 200, body: { access_token: "Atza|captured", expires_in: 3600, payload: [] } }))
  // an allowed "proxy" that answers every request with a 307 to the capture server (a 307 resends the body)
  redirector = await startLocalServer((req) => ({ status: 307, headers: { location: `${capture.url}${req.url}` } }))
  process.env.AMAZON_ALLOWED_ENDPOINTS = `${sim.url},${redirector.url}`
})
afterAll(async () => {
  await Promise.all([sim?.close(), capture?.close(), redirector?.close()])
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    it("a capture server on loopback never receives a secret or a token, whatever an admin posts", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { headers } = await createAdminUser(container)
      const seller = seedSimSeller(sim)
      const capturePort = new URL(capture.url).port

      // --- creating an account that points anywhere but Amazon or a configured origin: 400, nothing stored
      const elsewhere = [
        capture.url,
        `http://localhost:${capturePort}`,
        `http://0x7f000001:${capturePort}`,
        `http://2130706433:${capturePort}`,
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1",
      ]
      for (const url of elsewhere) {
        for (const field of ["sp_api_base_url", "lwa_token_url"]) {
          const res = await call(api, "post", "/admin/amazon/accounts", { ...accountBody(sim, seller), [field]: url }, headers)
          expect([field, url, res.status, res.data.message]).toEqual([field, url, 400, expect.stringMatching(/store's configuration/)])
        }
      }
      expect(await amazon.listAmazonAccounts({})).toHaveLength(0)

      // --- a real account on the (configured) simulator works
      const created = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seller), headers)
      expect(created.status).toBe(201)
      const id = created.data.account.id
      const ok = await call(api, "post", `/admin/amazon/accounts/${id}/test-connection`, {}, headers)
      expect(ok.data.connection).toMatchObject({ ok: true })

      // --- moving the endpoint without re-entering the secrets: 400 (whoever redirects them must know them)
      for (const field of ["lwa_token_url", "sp_api_base_url"]) {
        const res = await call(api, "post", `/admin/amazon/accounts/${id}`, { [field]: `${sim.url}/other` }, headers)
        expect([field, res.status, res.data.message]).toEqual([field, 400, expect.stringMatching(/requires re-entering lwa_client_secret and refresh_token/)])
      }
      // ... and with them, still only to allowed origins
      for (const url of elsewhere) {
        const res = await call(
          api,
          "post",
          `/admin/amazon/accounts/${id}`,
          { lwa_token_url: url, lwa_client_secret: seller.clientSecret, refresh_token: seller.refreshToken },
          headers
        )
        expect([url, res.status]).toEqual([url, 400])
      }
      const stored = await amazon.retrieveAmazonAccount(id)
      expect({ sp: stored.sp_api_base_url, lwa: stored.lwa_token_url }).toEqual({ sp: sim.url, lwa: `${sim.url}/auth/o2/token` })

      // --- an allowed origin that redirects: the redirect is not followed, the test says so
      const moved = await call(
        api,
        "post",
        `/admin/amazon/accounts/${id}`,
        { lwa_token_url: `${redirector.url}/auth/o2/token`, lwa_client_secret: seller.clientSecret, refresh_token: seller.refreshToken },
        headers
      )
      expect(moved.status).toBe(200)
      const redirected = await call(api, "post", `/admin/amazon/accounts/${id}/test-connection`, {}, headers)
      expect(redirected.data.connection).toMatchObject({ ok: false, code: "RedirectRefused" })
      const spMoved = await call(
        api,
        "post",
        `/admin/amazon/accounts/${id}`,
        {
          lwa_token_url: `${sim.url}/auth/o2/token`,
          sp_api_base_url: redirector.url,
          lwa_client_secret: seller.clientSecret,
          refresh_token: seller.refreshToken,
        },
        headers
      )
      expect(spMoved.status).toBe(200)
      const spRedirected = await call(api, "post", `/admin/amazon/accounts/${id}/test-connection`, {}, headers)
      expect(spRedirected.data.connection).toMatchObject({ ok: false, code: "RedirectRefused" })
      expect(redirector.requests.length).toBeGreaterThanOrEqual(2)

      // --- a row that points elsewhere anyway (written by an older release or by hand) makes no call at all
      await amazon.updateAmazonAccounts({ id, sp_api_base_url: capture.url, lwa_token_url: `${capture.url}/auth/o2/token` })
      const refused = await call(api, "post", `/admin/amazon/accounts/${id}/test-connection`, {}, headers)
      expect(refused.data.connection).toMatchObject({ ok: false, code: "EndpointNotAllowed", message: expect.stringMatching(/store's configuration/) })

      // the capture server saw nothing, ever
      expect(capture.requests).toEqual([])
    })

    it("a sandbox account talks to Amazon's sandbox host; the public account says which", async () => {
      const container = getContainer()
      const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
      const { headers } = await createAdminUser(container)
      const seller = seedSimSeller(sim)
      const { sp_api_base_url: _sp, lwa_token_url: _lwa, ...body } = accountBody(sim, seller)
      const created = await call(api, "post", "/admin/amazon/accounts", { ...body, sandbox: true }, headers)
      expect(created.status).toBe(201)
      expect(created.data.account).toMatchObject({ sandbox: true, sp_api_base_url: null, lwa_token_url: null })
      const account = await amazon.retrieveAmazonAccount(created.data.account.id)
      expect(amazon.resolveAccountEndpoints(account)).toEqual({
        spApiBaseUrl: "https://sandbox.sellingpartnerapi-eu.amazon.com",
        lwaTokenUrl: "https://api.amazon.com/auth/o2/token",
      })
      // Disconnect wipes the secrets: nothing usable is left in the database
      const deleted = await call(api, "delete", `/admin/amazon/accounts/${account.id}`, undefined, headers)
      expect(deleted.status).toBe(200)
      const [row] = await amazon.listAmazonAccounts({ id: account.id }, { withDeleted: true, select: ["id", "lwa_client_secret_encrypted", "refresh_token_encrypted"] })
      expect(row).toMatchObject({ lwa_client_secret_encrypted: "", refresh_token_encrypted: "" })
    })
  },
})
