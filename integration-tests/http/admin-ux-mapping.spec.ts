import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { startSimulator, SimulatorHandle } from "../../simulator"
import { AMAZON_MODULE } from "../../src/modules/amazon"
import type AmazonModuleService from "../../src/modules/amazon/service"
import { importAmazonListingsWorkflow } from "../../src/workflows/admin/import-amazon-listings"
import { LINK_TABLES } from "../../src/workflows/shared/medusa-tables"
import { createAdminUser } from "../helpers/admin"
import { createTestProduct, seedTestStore, type TestStore } from "../helpers/store-seed"
import { accountBody, call, DE, FR, quietScheduledJobs, seedSimSeller } from "./admin-support"

quietScheduledJobs()
jest.setTimeout(240_000)

/**
 * Issue 17 part 4, catalogue-scale mapping: item names from Amazon, sorting, bulk link / unlink (all or
 * nothing), suggestions, and the mapping file (export → edit → preview → apply). One app boot; each test
 * seeds what it needs (the runner restores the database between tests).
 */
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

    const amazonOf = (c: MedusaContainer) => c.resolve<AmazonModuleService>(AMAZON_MODULE)

    async function createAccount(marketplaceIds: string[] = [DE]) {
      const seller = seedSimSeller(sim, marketplaceIds)
      const res = await call(api, "post", "/admin/amazon/accounts", accountBody(sim, seller), headers)
      expect(res.status).toBe(201)
      return { account: res.data.account as { id: string }, seller }
    }

    /** listing id → linked variant id, from the link table itself. */
    async function links(listingIds: string[]): Promise<Record<string, string>> {
      const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const rows = await knex(LINK_TABLES.listingVariant).whereIn("amazon_listing_id", listingIds).whereNull("deleted_at").select("amazon_listing_id", "product_variant_id")
      return Object.fromEntries(rows.map((r: any) => [r.amazon_listing_id, r.product_variant_id]))
    }

    async function queuedVariantIds(variantIds: string[]): Promise<string[]> {
      const rows = await amazonOf(getContainer()).listAmazonStockOutboxes({ variant_id: variantIds })
      return [...new Set(rows.map((r) => r.variant_id))].sort()
    }

    /** A product whose variants carry titles and identifiers (createTestProduct titles each variant by its SKU). */
    async function createCatalogProduct(store: TestStore, title: string, variants: { sku: string; title: string; ean?: string; upc?: string }[]) {
      const {
        result: [product],
      } = await createProductsWorkflow(getContainer()).run({
        input: {
          products: [
            {
              title,
              status: "published",
              shipping_profile_id: store.shippingProfileId,
              options: [{ title: "Variant", values: variants.map((v) => v.title) }],
              variants: variants.map((v) => ({
                title: v.title,
                sku: v.sku,
                ean: v.ean,
                upc: v.upc,
                manage_inventory: false,
                options: { Variant: v.title },
                prices: [{ currency_code: "eur", amount: 10 }],
              })),
            },
          ],
        },
      })
      const { data } = await getContainer()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "product_variant", fields: ["id", "sku"], filters: { product_id: product.id } })
      return Object.fromEntries((data as { id: string; sku: string }[]).map((v) => [v.sku, v.id]))
    }

    it("imports Amazon's item names, and the list searches and sorts by them (allow-listed order only)", async () => {
      const container = getContainer()
      const { account, seller } = await createAccount()
      sim.control.seedListings([
        { sellerId: seller.sellerId, sku: "NAME-B", asin: "B0NAME0002", itemName: "Ceramic mug, blue" },
        { sellerId: seller.sellerId, sku: "NAME-A", asin: "B0NAME0001", itemName: "Steel bottle 750 ml" },
        { sellerId: seller.sellerId, sku: "NAME-C", itemName: "Ceramic mug, red" },
      ])
      await importAmazonListingsWorkflow(container).run({ input: { account_id: account.id } })

      const stored = await amazonOf(container).listAmazonListings({ account_id: account.id }, { select: ["seller_sku", "item_name"], order: { seller_sku: "ASC" } })
      expect(stored.map((l) => [l.seller_sku, l.item_name])).toEqual([
        ["NAME-A", "Steel bottle 750 ml"],
        ["NAME-B", "Ceramic mug, blue"],
        ["NAME-C", "Ceramic mug, red"],
      ])

      // a renamed item is refreshed by the next import
      sim.control.seedListing({ sellerId: seller.sellerId, sku: "NAME-A", asin: "B0NAME0001", itemName: "Steel bottle 1 l" })
      await importAmazonListingsWorkflow(container).run({ input: { account_id: account.id } })
      const [renamed] = await amazonOf(container).listAmazonListings({ account_id: account.id, seller_sku: "NAME-A" })
      expect(renamed.item_name).toBe("Steel bottle 1 l")

      const list = async (query: string) => {
        const res = await call(api, "get", `/admin/amazon/listings?${query}`, undefined, headers)
        expect(res.status).toBe(200)
        return res.data.listings.map((l: any) => [l.seller_sku, l.item_name])
      }
      expect(await list("q=ceramic%20mug")).toEqual([
        ["NAME-B", "Ceramic mug, blue"],
        ["NAME-C", "Ceramic mug, red"],
      ])
      expect((await list("order=item_name")).map((r: string[]) => r[0])).toEqual(["NAME-B", "NAME-C", "NAME-A"])
      expect((await list("order=-item_name")).map((r: string[]) => r[0])).toEqual(["NAME-A", "NAME-C", "NAME-B"])
      expect((await list("order=-seller_sku&limit=2")).map((r: string[]) => r[0])).toEqual(["NAME-C", "NAME-B"])
      expect((await list("order=-seller_sku&limit=2&offset=2")).map((r: string[]) => r[0])).toEqual(["NAME-A"])

      const bad = await call(api, "get", "/admin/amazon/listings?order=rules", undefined, headers)
      expect(bad.status).toBe(400)
      const injected = await call(api, "get", `/admin/amazon/listings?order=${encodeURIComponent("seller_sku; drop table amazon_listing")}`, undefined, headers)
      expect(injected.status).toBe(400)
      expect(await amazonOf(container).listAmazonListings({ account_id: account.id })).toHaveLength(3)
    })

    it("links 50 listings in one request and queues their stock push, then unlinks 20 of them", async () => {
      const container = getContainer()
      const store = await seedTestStore(container)
      const { account } = await createAccount()
      const skus = Array.from({ length: 50 }, (_, i) => `BULK-${String(i + 1).padStart(2, "0")}`)
      const { variants } = await createTestProduct(container, store, "Bulk tee", skus.map((sku) => ({ sku, stock: { [store.locationIds[0]]: 3 } })))
      const listings = await amazonOf(container).createAmazonListings(skus.map((sku) => ({ account_id: account.id, marketplace_id: DE, seller_sku: `AMZ-${sku}` })))
      const variantIds = skus.map((sku) => variants[sku].id)
      // nothing queued before the batch (creating the product queues nothing for unmapped variants)
      await amazonOf(container).deleteAmazonStockOutboxes((await amazonOf(container).listAmazonStockOutboxes({ variant_id: variantIds })).map((r) => r.id))

      const res = await call(
        api,
        "post",
        "/admin/amazon/listings/batch",
        { link: listings.map((l, i) => ({ listing_id: l.id, variant_id: variantIds[i] })) },
        headers
      )
      expect(res.status).toBe(200)
      expect(res.data).toEqual({ linked: 50, unlinked: 0, unchanged: 0, errors: [] })
      expect(await links(listings.map((l) => l.id))).toEqual(Object.fromEntries(listings.map((l, i) => [l.id, variantIds[i]])))
      const queued = await amazonOf(container).listAmazonStockOutboxes({ variant_id: variantIds })
      expect([...new Set(queued.map((r) => r.variant_id))].sort()).toEqual([...variantIds].sort())
      expect(new Set(queued.map((r) => r.reason))).toEqual(new Set(["amazon.listing_linked"]))

      const linkedList = await call(api, "get", "/admin/amazon/listings?linked=true&limit=100", undefined, headers)
      expect(linkedList.data.count).toBe(50)

      const unlinkIds = listings.slice(0, 20).map((l) => l.id)
      const unlinked = await call(api, "post", "/admin/amazon/listings/batch", { unlink: unlinkIds }, headers)
      expect(unlinked.status).toBe(200)
      expect(unlinked.data).toEqual({ linked: 0, unlinked: 20, unchanged: 0, errors: [] })
      const after = await links(listings.map((l) => l.id))
      expect(Object.keys(after).sort()).toEqual(listings.slice(20).map((l) => l.id).sort())
      // the listings themselves stay, with their push history
      expect(await amazonOf(container).listAmazonListings({ id: unlinkIds })).toHaveLength(20)
    })

    it("a batch with any bad change is refused with every listing's reason, and writes nothing", async () => {
      const container = getContainer()
      const store = await seedTestStore(container)
      const { account } = await createAccount([DE, FR])
      const { variants } = await createTestProduct(container, store, "Mug", [{ sku: "MUG-1" }, { sku: "MUG-2" }, { sku: "MUG-3" }])
      const [held, wants, free, dup, fr] = await amazonOf(container).createAmazonListings([
        { account_id: account.id, marketplace_id: DE, seller_sku: "HELD" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "WANTS" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "FREE" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "DUP" },
        { account_id: account.id, marketplace_id: FR, seller_sku: "FR" },
      ])
      expect((await call(api, "post", `/admin/amazon/listings/${held.id}/link`, { variant_id: variants["MUG-1"].id }, headers)).status).toBe(200)
      const allIds = [held.id, wants.id, free.id, dup.id, fr.id]
      const before = await links(allIds)
      const queuedBefore = await queuedVariantIds([variants["MUG-2"].id, variants["MUG-3"].id])

      const res = await call(
        api,
        "post",
        "/admin/amazon/listings/batch",
        {
          link: [
            { listing_id: free.id, variant_id: variants["MUG-2"].id }, // fine on its own
            { listing_id: wants.id, variant_id: variants["MUG-1"].id }, // MUG-1 sells as HELD in DE
            { listing_id: dup.id, variant_id: variants["MUG-3"].id },
            { listing_id: "amzlst_missing", variant_id: variants["MUG-3"].id },
            { listing_id: fr.id, variant_id: "variant_missing" },
          ],
          unlink: [dup.id],
        },
        headers
      )
      expect(res.status).toBe(400)
      expect(res.data.type).toBe("invalid_data")
      expect(res.data.errors.map((e: any) => [e.listing_id, e.code]).sort()).toEqual(
        [
          [wants.id, "conflict"],
          [dup.id, "duplicate"],
          ["amzlst_missing", "listing_not_found"],
          [fr.id, "variant_not_found"],
        ].sort()
      )
      expect(res.data.errors.find((e: any) => e.code === "conflict").message).toMatch(/already linked to Amazon listing HELD.*Unlink HELD first/)
      // nothing half-written: FREE is not linked, nothing new is queued
      expect(await links(allIds)).toEqual(before)
      expect(await queuedVariantIds([variants["MUG-2"].id, variants["MUG-3"].id])).toEqual(queuedBefore)

      // the body itself: empty, unknown keys, over 500 changes
      for (const body of [{}, { link: [], unlink: [] }, { link: [{ listing_id: free.id, variant_id: variants["MUG-2"].id, extra: 1 }] }, { unlink: Array.from({ length: 501 }, (_, i) => `amzlst_${i}`) }]) {
        const r = await call(api, "post", "/admin/amazon/listings/batch", body, headers)
        expect({ status: r.status, type: r.data.type }).toEqual({ status: 400, type: "invalid_data" })
      }
      expect(await links(allIds)).toEqual(before)

      // moving the variant in one batch is allowed: unlink HELD, link WANTS
      const moved = await call(api, "post", "/admin/amazon/listings/batch", { link: [{ listing_id: wants.id, variant_id: variants["MUG-1"].id }], unlink: [held.id] }, headers)
      expect(moved.status).toBe(200)
      expect(moved.data).toMatchObject({ linked: 1, unlinked: 1 })
      expect(await links([held.id, wants.id])).toEqual({ [wants.id]: variants["MUG-1"].id })
    })

    it("suggests variants ranked by SKU, SKU without separators, EAN and title, saying why", async () => {
      const container = getContainer()
      const store = await seedTestStore(container)
      const { account } = await createAccount()
      const mugs = await createCatalogProduct(store, "Ceramic mug", [
        { sku: "MUG-RED", title: "Red" },
        { sku: "mug_red_2", title: "Dark red" },
        { sku: "CM-BLUE", title: "Blue" },
      ])
      const others = await createCatalogProduct(store, "Steel bottle", [
        { sku: "BOTTLE-1", title: "750 ml", ean: "4006381333931" },
        { sku: "MUGRED2", title: "1 l" },
      ])
      const [mug, gtin, elsewhere] = await amazonOf(container).createAmazonListings([
        { account_id: account.id, marketplace_id: DE, seller_sku: "MUG-RED-2", item_name: "Ceramic mug, red" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "4006381333931", item_name: "Trinkflasche Edelstahl" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "OTHER-MUG" },
      ])
      // MUG-RED already sells as OTHER-MUG in DE: suggested, but marked
      expect((await call(api, "post", `/admin/amazon/listings/${elsewhere.id}/link`, { variant_id: mugs["MUG-RED"] }, headers)).status).toBe(200)

      const res = await call(api, "get", `/admin/amazon/listings/${mug.id}/suggestions`, undefined, headers)
      expect(res.status).toBe(200)
      expect(res.data.suggestions.map((s: any) => [s.variant_sku, s.score, s.reasons])).toEqual([
        // a tie: the one whose title is alike too comes first
        ["mug_red_2", 90, ["same SKU ignoring case and separators", "title 86% alike"]],
        ["MUGRED2", 90, ["same SKU ignoring case and separators"]],
        ["MUG-RED", 80, ["title 100% alike"]],
        ["CM-BLUE", 53, ["title 67% alike"]],
      ])
      expect(res.data.suggestions[2]).toMatchObject({
        variant_id: mugs["MUG-RED"],
        product_title: "Ceramic mug",
        current: false,
        linked_elsewhere: { listing_id: elsewhere.id, seller_sku: "OTHER-MUG" },
      })
      expect(res.data.suggestions[0].linked_elsewhere).toBeNull()

      const byEan = await call(api, "get", `/admin/amazon/listings/${gtin.id}/suggestions`, undefined, headers)
      expect(byEan.data.suggestions.map((s: any) => [s.variant_id, s.score, s.reasons])).toEqual([[others["BOTTLE-1"], 85, ["EAN equals the SKU"]]])

      // several listings at once (the bulk link drawer); unknown ids are left out
      const many = await call(api, "get", `/admin/amazon/listings/suggestions?id=${mug.id}&id=${gtin.id}&id=amzlst_missing`, undefined, headers)
      expect(many.status).toBe(200)
      expect(Object.keys(many.data.suggestions).sort()).toEqual([mug.id, gtin.id].sort())
      expect(many.data.suggestions[gtin.id][0].variant_sku).toBe("BOTTLE-1")
      expect((await call(api, "get", "/admin/amazon/listings/amzlst_missing/suggestions", undefined, headers)).status).toBe(404)
    })

    it("CSV: the export re-imports as unchanged; a file with bad rows is previewed per row and refused; the corrected file applies", async () => {
      const container = getContainer()
      const store = await seedTestStore(container)
      const { account } = await createAccount()
      const { variants } = await createTestProduct(container, store, "Tee", [{ sku: "TEE-S" }, { sku: "TEE-M" }, { sku: "TEE-L" }, { sku: "TEE-XL" }])
      const [s, m, l, xl, fba] = await amazonOf(container).createAmazonListings([
        { account_id: account.id, marketplace_id: DE, seller_sku: "A-TEE-S", asin: "B0TEE00001", item_name: '=HYPERLINK("x"), "Tee" S' },
        { account_id: account.id, marketplace_id: DE, seller_sku: "A-TEE-M", item_name: "Tee, M" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "A-TEE-L" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "A-TEE-XL" },
        { account_id: account.id, marketplace_id: DE, seller_sku: "A-TEE-S", fulfillment_channel: "AMAZON" },
      ])
      const allIds = [s.id, m.id, l.id, xl.id, fba.id]
      await call(api, "post", "/admin/amazon/listings/batch", { link: [{ listing_id: s.id, variant_id: variants["TEE-S"].id }, { listing_id: m.id, variant_id: variants["TEE-M"].id }] }, headers)

      const exported = await call(api, "get", `/admin/amazon/listings/mapping/export?account_id=${account.id}`, undefined, headers)
      expect(exported.status).toBe(200)
      expect(exported.headers["content-type"]).toMatch(/^text\/csv/)
      const csv = String(exported.data)
      const lines = csv.trim().split("\r\n")
      expect(lines[0]).toBe("account_id,marketplace_id,seller_sku,fulfillment_channel,asin,item_name,variant_sku,variant_id")
      expect(lines).toHaveLength(6)
      // quoted, and Amazon's item name cannot run as a spreadsheet formula
      expect(lines).toContain(`${account.id},${DE},A-TEE-S,MERCHANT,B0TEE00001,"'=HYPERLINK(""x""), ""Tee"" S",TEE-S,${variants["TEE-S"].id}`)
      expect(lines).toContain(`${account.id},${DE},A-TEE-L,MERCHANT,,,,`)

      const importCsv = (file: string, dry_run: boolean) => call(api, "post", "/admin/amazon/listings/mapping/import", { csv: file, dry_run }, headers)
      const same = await importCsv(csv, false)
      expect(same.status).toBe(200)
      expect(same.data.totals).toEqual({ rows: 5, link: 0, unlink: 0, unchanged: 5, error: 0 })
      expect(same.data.applied).toBe(true)
      expect(same.data.rows.every((r: any) => r.action === "unchanged")).toBe(true)
      const linksBefore = await links(allIds)
      expect(linksBefore).toEqual({ [s.id]: variants["TEE-S"].id, [m.id]: variants["TEE-M"].id })

      // edited in a spreadsheet (semicolons, no account column: the only account)
      const bad = [
        "seller_sku;marketplace_id;fulfillment_channel;variant_sku",
        `A-TEE-L;${DE};;TEE-L`, // 2: link, fine
        `A-TEE-NOPE;${DE};;TEE-XL`, // 3: unknown listing
        `A-TEE-S;${DE};AMAZON;TEE-XXL`, // 4: unknown variant
        `A-TEE-L;${DE};MERCHANT;TEE-L`, // 5: duplicate of line 2
        `A-TEE-XL;${DE};;TEE-S`, // 6: TEE-S sells as A-TEE-S already
        `A-TEE-M;${DE};;`, // 7: unlink
      ].join("\n")
      const preview = await importCsv(bad, true)
      expect(preview.status).toBe(200)
      expect(preview.data.applied).toBe(false)
      expect(preview.data.rows.map((r: any) => [r.line, r.seller_sku, r.action, r.error ?? null])).toEqual([
        [2, "A-TEE-L", "link", null],
        [3, "A-TEE-NOPE", "error", expect.stringMatching(/No MERCHANT listing A-TEE-NOPE/)],
        [4, "A-TEE-S", "error", "No variant has the SKU TEE-XXL."],
        [5, "A-TEE-L", "error", "Duplicate of line 2: each listing may appear once."],
        [6, "A-TEE-XL", "error", expect.stringMatching(/TEE-S is already linked to Amazon listing A-TEE-S.*Unlink A-TEE-S first/)],
        [7, "A-TEE-M", "unlink", null],
      ])
      expect(preview.data.rows[0]).toMatchObject({ variant_sku: "TEE-L", variant_id: variants["TEE-L"].id })
      expect(preview.data.rows[5]).toMatchObject({ current_variant_sku: "TEE-M" })
      expect(preview.data.totals).toEqual({ rows: 6, link: 1, unlink: 1, unchanged: 0, error: 4 })
      expect(await links(allIds)).toEqual(linksBefore)

      const refused = await importCsv(bad, false)
      expect(refused.status).toBe(400)
      expect(refused.data).toMatchObject({ type: "invalid_data", applied: false, totals: { error: 4 } })
      expect(refused.data.message).toMatch(/4 row\(s\) have errors; nothing was applied/)
      expect(await links(allIds)).toEqual(linksBefore)

      // corrected: the bad rows gone, TEE-S moved from A-TEE-S to A-TEE-XL in the same file
      const fixed = [
        "seller_sku;marketplace_id;fulfillment_channel;variant_sku",
        `A-TEE-L;${DE};;TEE-L`,
        `A-TEE-XL;${DE};;TEE-S`,
        `A-TEE-S;${DE};MERCHANT;`,
        `A-TEE-M;${DE};;`,
        `A-TEE-S;${DE};AMAZON;TEE-S`,
      ].join("\n")
      const applied = await importCsv(fixed, false)
      expect(applied.status).toBe(200)
      expect(applied.data).toMatchObject({ applied: true, totals: { rows: 5, link: 3, unlink: 2, unchanged: 0, error: 0 } })
      expect(await links(allIds)).toEqual({ [l.id]: variants["TEE-L"].id, [xl.id]: variants["TEE-S"].id, [fba.id]: variants["TEE-S"].id })
      // the merchant-fulfilled links queue their variants' push (the FBA one does not need it)
      expect(await queuedVariantIds([variants["TEE-L"].id, variants["TEE-S"].id])).toEqual([variants["TEE-L"].id, variants["TEE-S"].id].sort())

      // files the import refuses outright, with a clear 400
      const tooMany = ["seller_sku,marketplace_id,variant_sku", ...Array.from({ length: 5001 }, (_, i) => `S${i},${DE},`)].join("\n")
      for (const [file, message] of [
        [tooMany, /more than 5000 rows/],
        ["seller_sku,marketplace_id\nA,DE\n", /variant_sku or a variant_id column/],
        ['seller_sku,marketplace_id,variant_sku\n"open,DE,X\n', /not valid CSV/],
        ["x".repeat(2 * 1024 * 1024 + 1), /larger than 2 MB/],
      ] as const) {
        const r = await importCsv(file, true)
        expect({ status: r.status, message: r.data.message }).toEqual({ status: 400, message: expect.stringMatching(message) })
      }
      expect(await links(allIds)).toEqual({ [l.id]: variants["TEE-L"].id, [xl.id]: variants["TEE-S"].id, [fba.id]: variants["TEE-S"].id })
    })
  },
})
