import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { createCipheriv, randomBytes } from "node:crypto"
import { Client } from "pg"
import { startLocalServer } from "../../src/lib/amazon/__tests__/local-server"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import AmazonModuleService, { publicAccount } from "../../src/modules/amazon/service"

jest.setTimeout(20_000)

const KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
const SECRET = "lwa-client-secret-PLAIN-9f8e7d"
const REFRESH = "Atzr|refresh-token-PLAIN-1a2b3c"

const accountInput = (over: Record<string, unknown> = {}) => ({
  name: "DE store",
  region: "EU" as const,
  seller_id: "A1SELLER",
  marketplace_ids: ["A1PA6795UKMFR9"],
  lwa_client_id: "amzn1.application-oa2-client.abc",
  lwa_client_secret: SECRET,
  refresh_token: REFRESH,
  ...over,
})

async function rawRows(clientUrl: string, schema: string | undefined, sql: string) {
  const client = new Client({ connectionString: clientUrl })
  await client.connect()
  try {
    if (schema) await client.query(`set search_path to "${schema}"`)
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}

moduleIntegrationTestRunner<AmazonModuleService>({
  moduleName: AMAZON_MODULE,
  resolve: "./src/modules/amazon",
  // A name of this process (the runner's default is fixed per worker, so two checkouts testing on one server
  // would share it); scripts/db.mjs knows the pattern and drops it if the run is killed.
  dbName: `medusa-amazon-integration-${process.pid}`,
  // loopback allowed: the connection test below talks to a local server on a random port
  moduleOptions: { encryptionKey: KEY, allowLoopbackEndpoints: true },
  testSuite: ({ service, dbConfig }) => {
    describe("AmazonModuleService", () => {
      it("stores the LWA client secret and refresh token only encrypted", async () => {
        const [account] = await service.createAccounts([accountInput()])
        expect(account).toMatchObject({ seller_id: "A1SELLER", lwa_client_secret_set: true, refresh_token_set: true })
        expect(JSON.stringify(account)).not.toContain(SECRET)
        expect(JSON.stringify(account)).not.toContain("_encrypted")

        const rows = await rawRows(dbConfig.clientUrl, dbConfig.schema, "select * from amazon_account")
        expect(rows).toHaveLength(1)
        const dump = JSON.stringify(rows[0])
        expect(dump).not.toContain(SECRET)
        expect(dump).not.toContain(REFRESH)
        expect(rows[0].lwa_client_secret_encrypted).toMatch(/^v2:/)
        expect(rows[0].authorized_at).not.toBeNull()

        const creds = await service.getAccountCredentials(account.id)
        expect(creds).toEqual({ clientId: "amzn1.application-oa2-client.abc", clientSecret: SECRET, refreshToken: REFRESH })
      })

      it("re-encrypts on update and keeps secrets it was not given", async () => {
        const [account] = await service.createAccounts([accountInput()])
        await service.updateAccount({ id: account.id, refresh_token: "Atzr|new-token" })
        const creds = await service.getAccountCredentials(account.id)
        expect(creds).toMatchObject({ clientSecret: SECRET, refreshToken: "Atzr|new-token" })
        const updated = await service.updateAccount({ id: account.id, enabled: false })
        expect(updated.enabled).toBe(false)
        expect((await service.getAccountCredentials(account.id)).refreshToken).toBe("Atzr|new-token")
      })

      it("refuses a ciphertext moved into the other secret column", async () => {
        const [account] = await service.createAccounts([accountInput()])
        const full = await service.retrieveAmazonAccount(account.id)
        await service.updateAmazonAccounts({ id: account.id, refresh_token_encrypted: full.lwa_client_secret_encrypted })
        await expect(service.getAccountCredentials(account.id)).rejects.toThrow()
      })

      it("refuses a ciphertext moved onto another account (the row id is bound in)", async () => {
        const [a, b] = await service.createAccounts([accountInput(), accountInput({ seller_id: "A2OTHER", refresh_token: "Atzr|other" })])
        const fullA = await service.retrieveAmazonAccount(a.id)
        await service.updateAmazonAccounts({ id: b.id, refresh_token_encrypted: fullA.refresh_token_encrypted })
        await expect(service.getAccountCredentials(b.id)).rejects.toThrow()
        expect((await service.getAccountCredentials(a.id)).refreshToken).toBe(REFRESH)
      })

      it("rewrites legacy v1 secrets (column-bound only) as v2 bound to the row, once", async () => {
        // a v1 value exactly as the previous release wrote it: AES-256-GCM, associated data = the column name
        const v1 = (plain: string, field: string) => {
          const iv = randomBytes(12)
          const cipher = createCipheriv("aes-256-gcm", Buffer.from(KEY, "hex"), iv)
          cipher.setAAD(Buffer.from(field, "utf8"))
          const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()])
          return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), ct.toString("base64")].join(":")
        }
        const [account] = await service.createAccounts([accountInput()])
        await service.updateAmazonAccounts({
          id: account.id,
          lwa_client_secret_encrypted: v1("legacy-secret", "lwa_client_secret"),
          refresh_token_encrypted: v1("Atzr|legacy-refresh", "refresh_token"),
        })
        expect(await service.migrateLegacySecrets()).toBe(1)
        expect(await service.migrateLegacySecrets()).toBe(0)
        const rows = await rawRows(dbConfig.clientUrl, dbConfig.schema, "select * from amazon_account")
        expect(rows[0].lwa_client_secret_encrypted).toMatch(/^v2:/)
        expect(rows[0].refresh_token_encrypted).toMatch(/^v2:/)
        expect(await service.getAccountCredentials(account.id)).toMatchObject({ clientSecret: "legacy-secret", refreshToken: "Atzr|legacy-refresh" })
      })

      it("refuses endpoint overrides the configuration does not allow, at write and at use", async () => {
        for (const url of ["http://169.254.169.254/latest", "http://10.1.2.3:8080", "https://user:pw@sellingpartnerapi-eu.amazon.com", "https://evil.example.com"]) {
          await expect(service.createAccounts([accountInput({ lwa_token_url: url })])).rejects.toThrow(/store's configuration/)
        }
        const [account] = await service.createAccounts([accountInput({ sandbox: true })])
        await expect(service.updateAccount({ id: account.id, sp_api_base_url: "http://10.0.0.8" })).rejects.toThrow(/store's configuration/)
        // Amazon's own hosts are always fine; a sandbox account talks to Amazon's sandbox
        const full = await service.retrieveAmazonAccount(account.id)
        expect(service.resolveAccountEndpoints(full)).toEqual({
          spApiBaseUrl: "https://sandbox.sellingpartnerapi-eu.amazon.com",
          lwaTokenUrl: "https://api.amazon.com/auth/o2/token",
        })
        // a row written around the check (an older release, a hand edit) makes no call at all
        await service.updateAmazonAccounts({ id: account.id, lwa_token_url: "http://192.168.1.1/token" })
        await expect(service.getSpApi(account.id)).rejects.toThrow(/store's configuration/)
      })

      it("wipes the secrets of a disconnected account", async () => {
        const [account] = await service.createAccounts([accountInput()])
        await service.softDeleteAmazonAccounts([account.id])
        await service.wipeAccountSecrets(account.id)
        const rows = await rawRows(dbConfig.clientUrl, dbConfig.schema, "select * from amazon_account")
        expect(rows[0]).toMatchObject({ lwa_client_secret_encrypted: "", refresh_token_encrypted: "" })
      })

      it("publicAccount never exposes the encrypted columns", async () => {
        const [account] = await service.createAccounts([accountInput()])
        const full = await service.retrieveAmazonAccount(account.id)
        const pub = publicAccount(full)
        expect(Object.keys(pub).some((k) => k.includes("encrypted"))).toBe(false)
      })

      it("keeps one account per seller and region", async () => {
        await service.createAccounts([accountInput()])
        await expect(service.createAccounts([accountInput({ name: "dup" })])).rejects.toThrow()
        await expect(service.createAccounts([accountInput({ region: "NA", marketplace_ids: ["ATVPDKIKX0DER"] })])).resolves.toHaveLength(1)
      })

      it("maps listings per account, marketplace, SKU and channel", async () => {
        const [account] = await service.createAccounts([accountInput()])
        const listing = await service.createAmazonListings({
          account_id: account.id,
          marketplace_id: "A1PA6795UKMFR9",
          seller_sku: "SKU-1",
          asin: "B000TEST01",
          product_type: "SHIRT",
        })
        expect(listing).toMatchObject({ fulfillment_channel: "MERCHANT", product_type: "SHIRT" })
        // the same SKU may also be an FBA offer
        await service.createAmazonListings({ account_id: account.id, marketplace_id: "A1PA6795UKMFR9", seller_sku: "SKU-1", fulfillment_channel: "AMAZON" })
        await expect(
          service.createAmazonListings({ account_id: account.id, marketplace_id: "A1PA6795UKMFR9", seller_sku: "SKU-1" })
        ).rejects.toThrow()
        const [list, count] = await service.listAndCountAmazonListings({ account_id: account.id })
        expect(count).toBe(2)
        expect(list.map((l) => l.fulfillment_channel).sort()).toEqual(["AMAZON", "MERCHANT"])
      })

      it("keeps one named watermark per account, stream and scope", async () => {
        const [account] = await service.createAccounts([accountInput()])
        const c1 = await service.getOrCreateCursor(account.id, "orders", "A1PA6795UKMFR9")
        const c2 = await service.getOrCreateCursor(account.id, "orders", "A1PA6795UKMFR9")
        expect(c2.id).toBe(c1.id)
        const when = new Date("2026-11-01T10:00:00Z")
        await service.updateAmazonSyncCursors({ id: c1.id, watermark: when })
        const again = await service.getOrCreateCursor(account.id, "orders", "A1PA6795UKMFR9")
        expect(new Date(again.watermark as unknown as string).toISOString()).toBe(when.toISOString())
        const fba = await service.getOrCreateCursor(account.id, "fba_stock", "A1PA6795UKMFR9")
        expect(fba.id).not.toBe(c1.id)
      })

      it("coalesces outbox rows per variant and completes only the version that was pushed", async () => {
        await service.enqueueStockChanges([
          { variant_id: "variant_1", reason: "order.placed" },
          { variant_id: "variant_2", reason: "inventory-level.updated" },
          { variant_id: "variant_1", reason: "order.placed", urgent: true },
        ])
        await service.enqueueStockChanges([{ variant_id: "variant_1", reason: "order.canceled" }])
        let rows = await service.listAmazonStockOutboxes({}, { order: { variant_id: "ASC" } })
        expect(rows.map((r) => [r.variant_id, r.version, r.event_count, r.reason, r.urgent])).toEqual([
          ["variant_1", 2, 2, "order.canceled", true],
          ["variant_2", 1, 1, "inventory-level.updated", false],
        ])
        // a push read both rows; meanwhile variant_2 changes again
        const read = rows.map((r) => ({ id: r.id, version: r.version }))
        await service.enqueueStockChanges([{ variant_id: "variant_2", reason: "reservation-item.created" }])
        const deleted = await service.completeStockChanges(read)
        expect(deleted).toBe(1)
        rows = await service.listAmazonStockOutboxes({})
        expect(rows.map((r) => [r.variant_id, r.version])).toEqual([["variant_2", 2]])
      })

      it("tests the connection through the SP-API client and maps Amazon errors to MedusaError", async () => {
        let fail = false
        const server = await startLocalServer((req) => {
          if (req.url?.startsWith("/auth/o2/token")) {
            return { status: 200, body: { access_token: "Atza|x", token_type: "bearer", expires_in: 3600 } }
          }
          if (fail) {
            return { status: 400, body: { errors: [{ code: "InvalidInput", message: "Invalid marketplace" }] } }
          }
          return {
            status: 200,
            body: {
              payload: [
                {
                  marketplace: { id: "A1PA6795UKMFR9", name: "Amazon.de", countryCode: "DE", defaultCurrencyCode: "EUR", defaultLanguageCode: "de_DE", domainName: "www.amazon.de" },
                  participation: { isParticipating: true, hasSuspendedListings: false },
                },
              ],
            },
          }
        })
        try {
          const [account] = await service.createAccounts([
            accountInput({ sp_api_base_url: server.url, lwa_token_url: `${server.url}/auth/o2/token` }),
          ])
          const result = await service.testConnection(account.id)
          expect(result).toMatchObject({ ok: true, marketplaces: [{ id: "A1PA6795UKMFR9", currency_code: "EUR", is_participating: true }] })
          fail = true
          const err = await service.testConnection(account.id).catch((e) => e)
          expect(err.type).toBe("invalid_data")
          expect(err.message).toContain("InvalidInput")
          expect(err.message).not.toContain(SECRET)
        } finally {
          await server.close()
        }
      })
    })
  },
})

describe("AmazonModuleService options", () => {
  const logger = { info() {}, warn() {}, debug() {}, error() {} } as any
  const previous = process.env.AMAZON_ENCRYPTION_KEY

  afterEach(() => {
    process.env.AMAZON_ENCRYPTION_KEY = previous
  })

  it("fails at boot with a clear message when the encryption key is missing", () => {
    delete process.env.AMAZON_ENCRYPTION_KEY
    expect(() => new AmazonModuleService({ logger } as any, {})).toThrow(/encryptionKey.*AMAZON_ENCRYPTION_KEY.*required/)
  })

  it("rejects a weak key and bad options by name, and warns about unknown ones", () => {
    expect(() => new AmazonModuleService({ logger } as any, { encryptionKey: "short" })).toThrow(/32 bytes/)
    expect(() => new AmazonModuleService({ logger } as any, { encryptionKey: KEY, spApiBaseUrl: "not a url" } as any)).toThrow(
      /spApiBaseUrl/
    )
    const warn = jest.fn()
    new AmazonModuleService({ logger: { ...logger, warn } } as any, { encryptionKey: KEY, typo: 1 } as any)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"typo"'))
  })

  it("allows loopback and other endpoints only when the configuration says so", () => {
    const strict = new AmazonModuleService({ logger } as any, { encryptionKey: KEY })
    for (const url of ["http://127.0.0.1:4567", "http://localhost:1/x", "http://0x7f000001/", "http://[::1]:80/"]) {
      expect(() => strict.assertEndpointsAllowed({ lwa_token_url: url })).toThrow(/store's configuration/)
    }
    expect(() => strict.assertEndpointsAllowed({ sp_api_base_url: "https://sellingpartnerapi-fe.amazon.com" })).not.toThrow()
    const listed = new AmazonModuleService({ logger } as any, { encryptionKey: KEY, allowedEndpoints: ["http://127.0.0.1:4567"] })
    expect(() => listed.assertEndpointsAllowed({ sp_api_base_url: "http://127.0.0.1:4567/" })).not.toThrow()
    expect(() => listed.assertEndpointsAllowed({ sp_api_base_url: "http://127.0.0.1:4568" })).toThrow(/store's configuration/)
    const dev = new AmazonModuleService({ logger } as any, { encryptionKey: KEY, allowLoopbackEndpoints: true })
    expect(() => dev.assertEndpointsAllowed({ lwa_token_url: "http://0x7f000001:9/t" })).not.toThrow()
    expect(() => dev.assertEndpointsAllowed({ lwa_token_url: "http://10.0.0.1:9/t" })).toThrow(/store's configuration/)
  })
})
