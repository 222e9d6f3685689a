/**
 * Merchant quantities across marketplaces, Seller Central edits (control.setQuantity) and the
 * "quantity-not-applied" fault ("DONE/ACCEPTED but quantity unchanged").
 */
import { ContractValidator, startSimulator, type SimulatorHandle } from "../index"
import {
  accessToken,
  call,
  createFeed,
  createReport,
  DE,
  downloadReport,
  FR,
  listingsFeed,
  OTHER_SELLER,
  parseFlatFile,
  quantityPatch,
  SELLER,
  uploadFeedDocument,
} from "./helpers/sp-client"

type Item = {
  sku: string
  summaries?: { marketplaceId: string; status: string[] }[]
  fulfillmentAvailability?: { fulfillmentChannelCode: string; quantity?: number }[]
  attributes?: Record<string, unknown>
  offers?: { marketplaceId: string; price: { amount: string; currencyCode: string } }[]
}
type Submission = { sku: string; status: string; issues?: unknown[] }
type FeedReport = { summary: { messagesAccepted: number; messagesInvalid: number; errors: number }; issues: unknown[] }

const contract = new ContractValidator()
const PATH = `/listings/2021-08-01/items/${SELLER.sellerId}`
const FEED_MS = 30_000

describe("merchant quantities per marketplace, Seller Central edits and quantity-not-applied", () => {
  let sim: SimulatorHandle
  let token: string

  beforeAll(async () => {
    sim = await startSimulator({ feedTiming: { queueMs: 10_000, processingMs: 20_000 }, reportTiming: { queueMs: 0, processingMs: 1_000 }, compressReports: "never" })
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.seed({
      sellers: [SELLER, OTHER_SELLER],
      listings: [
        // listed separately in DE and FR (a non-unified seller): one quantity (and price) each
        { sellerId: SELLER.sellerId, sku: "SPLIT", asin: "B0000SPLIT", quantity: 5, leadTimeToShipMaxDays: 2, price: { amount: "10.00" }, marketplaceId: DE },
        { sellerId: SELLER.sellerId, sku: "SPLIT", asin: "B0000SPLIT", quantity: 7, price: { amount: "11.00" }, marketplaceId: FR },
        // one unified EU listing: one quantity for both
        { sellerId: SELLER.sellerId, sku: "UNIFIED", asin: "B000UNIFIE", quantity: 3, marketplaceIds: [DE, FR] },
        { sellerId: SELLER.sellerId, sku: "PLAIN", quantity: 1, leadTimeToShipMaxDays: 4, marketplaceId: DE },
        { sellerId: SELLER.sellerId, sku: "FBA-1", fulfillmentChannel: "AMAZON_EU", marketplaceId: DE },
        { sellerId: OTHER_SELLER.sellerId, sku: "PLAIN", quantity: 50 },
      ],
    })
    token = await accessToken(sim)
  })

  function patchQuantity(sku: string, quantity: number, marketplaceIds: string, query: Record<string, string> = {}) {
    return call<Submission>(sim.url, "PATCH", `${PATH}/${encodeURIComponent(sku)}`, {
      token,
      query: { marketplaceIds, ...query },
      body: { productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity }] }] },
    })
  }

  async function getItem(sku: string, marketplaceIds: string, includedData = "summaries,fulfillmentAvailability,attributes,offers"): Promise<Item> {
    const res = await call<Item>(sim.url, "GET", `${PATH}/${encodeURIComponent(sku)}`, { token, query: { marketplaceIds, includedData } })
    expect(res.status).toBe(200)
    expect(contract.validateResponse("listings-items-2021-08-01.getListingsItem", 200, res.body).errors).toBe("")
    return res.body
  }

  const mfn = (item: Item) => item.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === "DEFAULT")?.quantity

  async function runFeed(messages: unknown[], marketplaceIds = [DE]): Promise<FeedReport> {
    const doc = await uploadFeedDocument(sim, token, listingsFeed(SELLER.sellerId, messages))
    const feedId = await createFeed(sim, token, "JSON_LISTINGS_FEED", doc, marketplaceIds)
    sim.control.advanceClock(FEED_MS)
    const feed = sim.control.getFeed(feedId)
    expect(feed?.processingStatus).toBe("DONE")
    return feed?.report as unknown as FeedReport
  }

  async function reportRows(marketplaceId: string): Promise<Record<string, string>[]> {
    const created = await createReport(sim, token, { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: [marketplaceId] })
    sim.control.advanceClock(1_000)
    const { reportDocumentId } = sim.control.getReport(created.body.reportId) as { reportDocumentId: string }
    return parseFlatFile((await downloadReport(sim, token, reportDocumentId)).text).rows
  }

  describe("several marketplaces", () => {
    it("keeps a separate merchant quantity per marketplace for a SKU listed separately; a patch for DE changes only DE", async () => {
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, DE)).toBe(5)
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, FR)).toBe(7)

      const res = await patchQuantity("SPLIT", 9, DE)
      expect(res.body.status).toBe("ACCEPTED")
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, DE)).toBe(9)
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, FR)).toBe(7)

      expect(mfn(await getItem("SPLIT", DE))).toBe(9)
      expect(mfn(await getItem("SPLIT", FR))).toBe(7)
      // merge kept DE's lead time; FR never had one
      expect((await getItem("SPLIT", DE)).attributes?.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 9, lead_time_to_ship_max_days: 2 }])
      expect((await getItem("SPLIT", FR)).attributes?.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 7 }])
    })

    it("a feed for FR changes only FR's listing; a feed for both marketplaces changes both", async () => {
      const report = await runFeed([quantityPatch(1, "SPLIT", 2)], [FR])
      expect(report.summary).toMatchObject({ messagesAccepted: 1, messagesInvalid: 0 })
      expect(sim.control.quantities(SELLER.sellerId, FR)).toMatchObject({ SPLIT: 2, UNIFIED: 3 })
      expect(sim.control.quantities(SELLER.sellerId, DE)).toMatchObject({ SPLIT: 5, UNIFIED: 3, PLAIN: 1 })
      expect(sim.control.quantities(SELLER.sellerId, FR)).not.toHaveProperty("PLAIN")

      await runFeed([quantityPatch(1, "SPLIT", 0)], [DE, FR])
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, DE)).toBe(0)
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, FR)).toBe(0)
    })

    it("shares one merchant quantity across a unified listing's marketplaces: the last update wins, whichever marketplace it named", async () => {
      expect((await patchQuantity("UNIFIED", 4, FR)).body.status).toBe("ACCEPTED")
      expect(sim.control.getQuantity("UNIFIED", SELLER.sellerId, DE)).toBe(4)
      expect(sim.control.getQuantity("UNIFIED", SELLER.sellerId, FR)).toBe(4)

      await runFeed([quantityPatch(1, "UNIFIED", 6)], [DE])
      expect(mfn(await getItem("UNIFIED", FR))).toBe(6)
      expect(mfn(await getItem("UNIFIED", DE))).toBe(6)

      expect((await patchQuantity("UNIFIED", 1, DE)).body.status).toBe("ACCEPTED")
      expect(sim.control.getQuantity("UNIFIED", SELLER.sellerId, FR)).toBe(1)
      expect(sim.control.listListings(SELLER.sellerId).filter((l) => l.sku === "UNIFIED")).toHaveLength(1)
    })

    it("shows each marketplace's own listing in getListingsItem, searchListingsItems and the report", async () => {
      const both = await getItem("SPLIT", `${DE},${FR}`)
      expect(both.summaries?.map((s) => s.marketplaceId)).toEqual([DE, FR])
      expect(both.offers?.map((o) => [o.marketplaceId, o.price.amount])).toEqual([
        [DE, "10.00"],
        [FR, "11.00"],
      ])
      expect(mfn(both)).toBe(5) // the first requested marketplace's listing
      expect(mfn(await getItem("SPLIT", `${FR},${DE}`))).toBe(7)

      const search = await call<{ numberOfResults: number; items: Item[] }>(sim.url, "GET", PATH, {
        token,
        query: { marketplaceIds: `${DE},${FR}`, identifiers: "SPLIT", identifiersType: "SKU", includedData: "summaries,fulfillmentAvailability" },
      })
      expect(search.body.numberOfResults).toBe(1)
      expect(search.body.items[0].summaries).toHaveLength(2)

      expect((await reportRows(DE)).find((r) => r["seller-sku"] === "SPLIT")).toMatchObject({ quantity: "5", price: "10" })
      expect((await reportRows(FR)).find((r) => r["seller-sku"] === "SPLIT")).toMatchObject({ quantity: "7", price: "11" })
    })

    it("seeding replaces only the listings that share a marketplace (re-seeding DE+FR unifies the SKU)", async () => {
      sim.control.seedListing({ sellerId: SELLER.sellerId, sku: "SPLIT", quantity: 8, marketplaceId: DE })
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, DE)).toBe(8)
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, FR)).toBe(7)
      sim.control.seedListing({ sellerId: SELLER.sellerId, sku: "SPLIT", quantity: 12, marketplaceIds: [DE, FR] })
      expect(sim.control.listListings(SELLER.sellerId).filter((l) => l.sku === "SPLIT")).toEqual([expect.objectContaining({ marketplaceIds: [DE, FR], quantity: 12 })])
      await patchQuantity("SPLIT", 13, FR)
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, DE)).toBe(13)
    })

    it("deletes only the targeted marketplace's listing of a separately listed SKU", async () => {
      const doc = await uploadFeedDocument(sim, token, listingsFeed(SELLER.sellerId, [{ messageId: 1, sku: "SPLIT", operationType: "DELETE" }]))
      await createFeed(sim, token, "JSON_LISTINGS_FEED", doc, [FR])
      sim.control.advanceClock(FEED_MS)
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, FR)).toBeUndefined()
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, DE)).toBe(5)
      expect((await call(sim.url, "GET", `${PATH}/SPLIT`, { token, query: { marketplaceIds: FR } })).status).toBe(404)
    })
  })

  describe("control.setQuantity (an edit in Seller Central)", () => {
    it("changes only the merchant quantity, visible in getListingsItem and the report", async () => {
      const before = sim.control.listListings(SELLER.sellerId).find((l) => l.sku === "PLAIN")
      sim.control.advanceClock(5_000)
      const state = sim.control.setQuantity("PLAIN", 0, { sellerId: SELLER.sellerId })
      expect(state.quantity).toBe(0)
      expect(state.attributes.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 0, lead_time_to_ship_max_days: 4 }])
      expect(Date.parse(state.lastUpdatedTime)).toBeGreaterThan(Date.parse(before?.lastUpdatedTime as string))

      const item = await getItem("PLAIN", DE)
      expect(mfn(item)).toBe(0)
      expect(item.summaries?.[0].status).toEqual([]) // no longer BUYABLE
      expect((await reportRows(DE)).find((r) => r["seller-sku"] === "PLAIN")).toMatchObject({ quantity: "0", status: "Inactive" })
      expect(sim.control.getQuantity("PLAIN", OTHER_SELLER.sellerId)).toBe(50)
    })

    it("takes the marketplace for separately listed SKUs, changes a unified listing everywhere, refuses FBA and unknown SKUs", async () => {
      expect(() => sim.control.setQuantity("SPLIT", 1, { sellerId: SELLER.sellerId })).toThrow(/give marketplaceId/)
      sim.control.setQuantity("SPLIT", 1, { sellerId: SELLER.sellerId, marketplaceId: FR })
      expect(sim.control.quantities(SELLER.sellerId, FR).SPLIT).toBe(1)
      expect(sim.control.quantities(SELLER.sellerId, DE).SPLIT).toBe(5)

      sim.control.setQuantity("UNIFIED", 30, { sellerId: SELLER.sellerId, marketplaceId: FR })
      expect(mfn(await getItem("UNIFIED", DE))).toBe(30)

      expect(() => sim.control.setQuantity("FBA-1", 3, { sellerId: SELLER.sellerId })).toThrow(expect.objectContaining({ status: 409 }))
      expect(() => sim.control.setQuantity("NOPE", 3, { sellerId: SELLER.sellerId })).toThrow(expect.objectContaining({ status: 404 }))
      expect(() => sim.control.setQuantity("PLAIN", 3, { sellerId: SELLER.sellerId, marketplaceId: FR })).toThrow(expect.objectContaining({ status: 404 }))
      expect(() => sim.control.setQuantity("PLAIN", -1, { sellerId: SELLER.sellerId })).toThrow(/whole number/)
    })

    it("is on the control API as PUT /_sim/listings/{sku}/quantity and GET /_sim/quantities?marketplaceId=", async () => {
      const res = await call<{ quantity: number }>(sim.url, "PUT", "/_sim/listings/SPLIT/quantity", { body: { quantity: 21, sellerId: SELLER.sellerId, marketplaceId: FR } })
      expect(res.status).toBe(200)
      expect(res.body.quantity).toBe(21)
      const fr = await call<Record<string, number | null>>(sim.url, "GET", "/_sim/quantities", { query: { sellerId: SELLER.sellerId, marketplaceId: FR } })
      expect(fr.body).toEqual({ SPLIT: 21, UNIFIED: 3 })
      expect((await call(sim.url, "PUT", "/_sim/listings/NOPE/quantity", { body: { quantity: 1, sellerId: SELLER.sellerId } })).status).toBe(404)
    })
  })

  describe("quantity-not-applied fault", () => {
    it("answers ACCEPTED for the SKU but keeps its quantity, until cleared; other SKUs apply", async () => {
      sim.control.injectFault({ type: "quantity-not-applied", sku: "PLAIN" })
      const res = await patchQuantity("PLAIN", 9, DE)
      expect(res.body).toMatchObject({ sku: "PLAIN", status: "ACCEPTED", issues: [] })
      expect(contract.validateResponse("listings-items-2021-08-01.patchListingsItem", 200, res.body).errors).toBe("")
      expect(sim.control.getQuantity("PLAIN", SELLER.sellerId)).toBe(1)
      expect(mfn(await getItem("PLAIN", DE))).toBe(1)

      expect((await patchQuantity("PLAIN", 10, DE)).body.status).toBe("ACCEPTED")
      expect(sim.control.getQuantity("PLAIN", SELLER.sellerId)).toBe(1)
      expect((await patchQuantity("SPLIT", 10, DE)).body.status).toBe("ACCEPTED")
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, DE)).toBe(10)
      expect(sim.control.listFaults()).toEqual([expect.objectContaining({ spec: { type: "quantity-not-applied", sku: "PLAIN" } })])

      sim.control.clearFaults()
      await patchQuantity("PLAIN", 11, DE)
      expect(sim.control.getQuantity("PLAIN", SELLER.sellerId)).toBe(11)
    })

    it("reports feed messages accepted while their quantity stays; other changes of the message apply", async () => {
      sim.control.injectFault({ type: "quantity-not-applied", sku: "PLAIN" })
      const report = await runFeed([quantityPatch(1, "PLAIN", 30, "merge", { lead_time_to_ship_max_days: 9 }), quantityPatch(2, "SPLIT", 31)])
      expect(report.summary).toMatchObject({ messagesAccepted: 2, messagesInvalid: 0, errors: 0 })
      expect(report.issues).toEqual([])
      const plain = sim.control.listListings(SELLER.sellerId).find((l) => l.sku === "PLAIN")
      expect(plain?.attributes.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 1, lead_time_to_ship_max_days: 9 }])
      expect(sim.control.getQuantity("SPLIT", SELLER.sellerId, DE)).toBe(31)
    })

    it("with count and no SKU, drops the next N quantity updates of any SKU; previews and invalid patches do not count", async () => {
      sim.control.injectFault({ type: "quantity-not-applied", count: 2 })
      expect((await patchQuantity("PLAIN", 5, DE, { mode: "VALIDATION_PREVIEW" })).body.status).toBe("VALID")
      const invalid = await call<Submission>(sim.url, "PATCH", `${PATH}/PLAIN`, {
        token,
        query: { marketplaceIds: DE },
        body: { productType: "PRODUCT", patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ quantity: 1 }] }] },
      })
      expect(invalid.body.status).toBe("INVALID")
      expect(sim.control.listFaults()[0].remaining).toBe(2)

      await patchQuantity("PLAIN", 20, DE)
      await runFeed([quantityPatch(1, "UNIFIED", 21)])
      await patchQuantity("PLAIN", 22, DE)
      expect(sim.control.getQuantity("PLAIN", SELLER.sellerId)).toBe(22)
      expect(sim.control.getQuantity("UNIFIED", SELLER.sellerId, FR)).toBe(3)
      expect(sim.control.listFaults()).toEqual([])
    })

    it("targets one seller when given, and refuses malformed specs", async () => {
      sim.control.injectFault({ type: "quantity-not-applied", sellerId: OTHER_SELLER.sellerId, sku: "PLAIN" })
      await patchQuantity("PLAIN", 40, DE)
      expect(sim.control.getQuantity("PLAIN", SELLER.sellerId)).toBe(40)
      expect(() => sim.control.injectFault({ type: "quantity-not-applied", sku: "" })).toThrow(/sku/)
      const http = await call(sim.url, "POST", "/_sim/faults", { body: { type: "quantity-not-applied", sku: "PLAIN", count: 1 } })
      expect(http.status).toBe(200)
      expect(sim.control.listFaults()).toHaveLength(2)
    })
  })
})
