import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { createAdminUser } from "../helpers/admin"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("the plugin inside a Medusa app", () => {
      it("registers the amazon module with its tables and the listing ↔ variant link", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        const [account] = await amazon.createAccounts([
          {
            name: "US",
            region: "NA",
            seller_id: "A1BOOT",
            marketplace_ids: ["ATVPDKIKX0DER"],
            lwa_client_id: "amzn1.application-oa2-client.boot",
            lwa_client_secret: "boot-secret",
            refresh_token: "Atzr|boot",
          },
        ])
        const listing = await amazon.createAmazonListings({ account_id: account.id, marketplace_id: "ATVPDKIKX0DER", seller_sku: "BOOT-1" })

        const productModule = container.resolve("product")
        const [product] = await productModule.createProducts([
          { title: "Boot tee", status: "published", options: [{ title: "Size", values: ["M"] }], variants: [{ title: "M", sku: "BOOT-1", options: { Size: "M" } }] },
        ])
        const link = container.resolve("link")
        await link.create({ [AMAZON_MODULE]: { amazon_listing_id: listing.id }, product: { product_variant_id: product.variants[0].id } })

        const query = container.resolve("query")
        const { data } = await query.graph({
          entity: "product_variant",
          fields: ["id", "sku", "amazon_listings.seller_sku", "amazon_listings.marketplace_id"],
          filters: { id: product.variants[0].id },
        })
        expect(data[0].amazon_listings).toEqual([expect.objectContaining({ seller_sku: "BOOT-1", marketplace_id: "ATVPDKIKX0DER" })])
      })

      it("serves GET /admin/amazon/accounts to admins only, with secrets reported as set, never returned", async () => {
        const container = getContainer()
        const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
        await amazon.createAccounts([
          {
            name: "DE",
            region: "EU",
            seller_id: "A1DE",
            marketplace_ids: ["A1PA6795UKMFR9"],
            lwa_client_id: "amzn1.application-oa2-client.de",
            lwa_client_secret: "de-secret-plain",
            refresh_token: "Atzr|de-refresh-plain",
          },
        ])
        const unauthenticated = await api.get("/admin/amazon/accounts").catch((e: any) => e.response)
        expect(unauthenticated.status).toBe(401)

        const { headers } = await createAdminUser(container)
        const res = await api.get("/admin/amazon/accounts", { headers })
        expect(res.status).toBe(200)
        expect(res.data).toMatchObject({ count: 1, accounts: [{ seller_id: "A1DE", lwa_client_secret_set: true, refresh_token_set: true }] })
        const body = JSON.stringify(res.data)
        expect(body).not.toContain("de-secret-plain")
        expect(body).not.toContain("Atzr|de-refresh-plain")
        expect(body).not.toContain("encrypted")

        // Medusa 2.21 strips fields outside the allowed list instead of refusing them: asking for the
        // encrypted column must still not return it.
        const asking = await api.get("/admin/amazon/accounts?fields=refresh_token_encrypted,name", { headers })
        expect(asking.status).toBe(200)
        expect(JSON.stringify(asking.data)).not.toMatch(/encrypted|Atzr\|de-refresh-plain/)

        const bad = await api.get("/admin/amazon/accounts?region=XX", { headers }).catch((e: any) => e.response)
        expect(bad.status).toBe(400)
        expect(bad.data.message).toMatch(/region/)
      })
    })
  },
})
