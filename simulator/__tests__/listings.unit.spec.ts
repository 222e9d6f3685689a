import { ContractValidator, ISSUE_CODES, startSimulator, type SimulatorHandle } from "../index"
import { accessToken, call, DE, OTHER_SELLER, SELLER } from "./helpers/sp-client"

type Submission = { sku: string; status: string; submissionId: string; issues?: { code: string; severity: string; attributeNames?: string[]; categories: string[] }[]; identifiers?: unknown[] }
type Item = { sku: string; summaries?: { marketplaceId: string; asin?: string; status: string[]; productType: string }[]; fulfillmentAvailability?: { fulfillmentChannelCode: string; quantity?: number }[]; issues?: unknown[]; attributes?: Record<string, unknown> }
type SearchResults = { numberOfResults: number; pagination?: { nextToken?: string; previousToken?: string }; items: Item[] }

const contract = new ContractValidator()
const PATH = `/listings/2021-08-01/items/${SELLER.sellerId}`

describe("Listings Items API 2021-08-01", () => {
  let sim: SimulatorHandle
  let token: string

  beforeAll(async () => {
    sim = await startSimulator()
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.seed({
      sellers: [SELLER, OTHER_SELLER],
      listings: [
        { sellerId: SELLER.sellerId, sku: "MUG", asin: "B00000MUG1", productType: "DRINKING_CUP", itemName: "Mug", quantity: 4, leadTimeToShipMaxDays: 2, price: { amount: "9.99" } },
        { sellerId: SELLER.sellerId, sku: "FBA-1", asin: "B00000FBA1", fulfillmentChannel: "AMAZON_EU" },
        ...Array.from({ length: 23 }, (_, i) => ({ sellerId: SELLER.sellerId, sku: `BULK-${String(i).padStart(2, "0")}`, quantity: i })),
      ],
      fbaInventory: [{ sellerId: SELLER.sellerId, sku: "FBA-1", fulfillable: 12 }],
    })
    token = await accessToken(sim)
  })

  function patch(sku: string, body: unknown, query: Record<string, string> = {}) {
    return call<Submission>(sim.url, "PATCH", `${PATH}/${encodeURIComponent(sku)}`, { token, body, query: { marketplaceIds: DE, ...query } })
  }

  const quantity = (q: unknown, op = "replace") => ({
    productType: "DRINKING_CUP",
    patches: [{ op, path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: q }] }],
  })

  it("accepts a valid quantity patch synchronously and applies it", async () => {
    const res = await patch("MUG", quantity(0))
    expect(res.status).toBe(200)
    expect(res.headers.get("x-amzn-ratelimit-limit")).toBe("5.0")
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/)
    expect(contract.validateResponse("listings-items-2021-08-01.patchListingsItem", 200, res.body).errors).toBe("")
    expect(res.body).toMatchObject({ sku: "MUG", status: "ACCEPTED", issues: [] })
    expect(res.body.submissionId).toMatch(/^[0-9a-f]{32}$/)
    expect(sim.control.getQuantity("MUG", SELLER.sellerId)).toBe(0)
  })

  it("merge keeps lead_time_to_ship_max_days", async () => {
    await patch("MUG", quantity(30, "merge"))
    const item = await call<Item>(sim.url, "GET", `${PATH}/MUG`, { token, query: { marketplaceIds: DE, includedData: "attributes" } })
    expect(item.body.attributes?.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 30, lead_time_to_ship_max_days: 2 }])
  })

  it("returns INVALID with an issue for a camelCase attribute path, a missing channel code or a bad quantity", async () => {
    const camel = await patch("MUG", {
      productType: "DRINKING_CUP",
      patches: [{ op: "replace", path: "/attributes/fulfillmentAvailability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 1 }] }],
    })
    expect(camel.body.status).toBe("INVALID")
    expect(camel.body.issues).toEqual([
      expect.objectContaining({ code: ISSUE_CODES.INVALID_ATTRIBUTES, severity: "ERROR", attributeNames: ["fulfillmentAvailability"], categories: [] }),
    ])
    expect(contract.validateResponse("listings-items-2021-08-01.patchListingsItem", 200, camel.body).errors).toBe("")

    const noChannel = await patch("MUG", { productType: "X", patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ quantity: 1 }] }] })
    expect(noChannel.body.issues?.[0].code).toBe(ISSUE_CODES.MISSING_REQUIRED_VALUE)

    for (const bad of [-1, 1.5, "3"]) {
      const res = await patch("MUG", quantity(bad))
      expect(res.body.status).toBe("INVALID")
      expect(res.body.issues?.[0].code).toBe(ISSUE_CODES.INVALID_ATTRIBUTES)
    }
    expect(sim.control.getQuantity("MUG", SELLER.sellerId)).toBe(4)
  })

  it("returns INVALID for an unknown SKU", async () => {
    const res = await patch("NOPE", quantity(1))
    expect(res.body.status).toBe("INVALID")
    expect(res.body.issues?.[0].code).toBe(ISSUE_CODES.SKU_NOT_FOUND)
  })

  it("answers VALID without applying in VALIDATION_PREVIEW mode", async () => {
    const res = await patch("MUG", quantity(99), { mode: "VALIDATION_PREVIEW" })
    expect(res.body.status).toBe("VALID")
    expect(sim.control.getQuantity("MUG", SELLER.sellerId)).toBe(4)
    const invalid = await patch("MUG", quantity(-5), { mode: "VALIDATION_PREVIEW" })
    expect(invalid.body.status).toBe("INVALID")
  })

  it("answers 400 InvalidInput for a body that breaks the model or a patch without value", async () => {
    const noPatches = await patch("MUG", { productType: "X" })
    expect(noPatches.status).toBe(400)
    expect(contract.validateResponse("listings-items-2021-08-01.patchListingsItem", 400, noPatches.body).errors).toBe("")
    const noValue = await patch("MUG", { productType: "X", patches: [{ op: "replace", path: "/attributes/fulfillment_availability" }] })
    expect(noValue.status).toBe(400)
    expect(noValue.body).toEqual({ errors: [{ code: "InvalidInput", message: "Value is missing for patch at index of 0." }] })
    const noMarketplace = await call(sim.url, "PATCH", `${PATH}/MUG`, { token, body: quantity(1) })
    expect(noMarketplace.status).toBe(400)
  })

  it("refuses a sellerId that is not the token's seller", async () => {
    const res = await call(sim.url, "PATCH", `/listings/2021-08-01/items/${OTHER_SELLER.sellerId}/MUG`, { token, body: quantity(1), query: { marketplaceIds: DE } })
    expect(res.status).toBe(403)
    expect((res.body as { errors: { code: string }[] }).errors[0].code).toBe("Unauthorized")
  })

  it("getListingsItem returns summaries by default and the requested data sets", async () => {
    const basic = await call<Item>(sim.url, "GET", `${PATH}/MUG`, { token, query: { marketplaceIds: DE } })
    expect(basic.status).toBe(200)
    expect(contract.validateResponse("listings-items-2021-08-01.getListingsItem", 200, basic.body).errors).toBe("")
    expect(Object.keys(basic.body).sort()).toEqual(["sku", "summaries"])
    expect(basic.body.summaries).toEqual([expect.objectContaining({ marketplaceId: DE, asin: "B00000MUG1", productType: "DRINKING_CUP", status: ["BUYABLE", "DISCOVERABLE"] })])

    const full = await call<Item>(sim.url, "GET", `${PATH}/FBA-1`, {
      token,
      query: { marketplaceIds: DE, includedData: "summaries,fulfillmentAvailability,issues,offers,attributes,productTypes,relationships,procurement" },
    })
    expect(contract.validateResponse("listings-items-2021-08-01.getListingsItem", 200, full.body).errors).toBe("")
    expect(full.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: "AMAZON_EU", quantity: 12 }])

    await patch("MUG", quantity(0))
    const soldOut = await call<Item>(sim.url, "GET", `${PATH}/MUG`, { token, query: { marketplaceIds: DE, includedData: "summaries,fulfillmentAvailability" } })
    expect(soldOut.body.summaries?.[0].status).toEqual(["DISCOVERABLE"])
    expect(soldOut.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: "DEFAULT", quantity: 0 }])
  })

  it("getListingsItem answers 404 for an unknown SKU or a marketplace the SKU is not offered in", async () => {
    const res = await call(sim.url, "GET", `${PATH}/NOPE`, { token, query: { marketplaceIds: DE } })
    expect(res.status).toBe(404)
    expect(contract.validateResponse("listings-items-2021-08-01.getListingsItem", 404, res.body).errors).toBe("")
    expect((res.body as { errors: { code: string }[] }).errors[0].code).toBe("NOT_FOUND")
    const elsewhere = await call(sim.url, "GET", `${PATH}/MUG`, { token, query: { marketplaceIds: "A13V1IB3VIYZZH" } })
    expect(elsewhere.status).toBe(404)
  })

  it("searchListingsItems pages with pageSize and pageToken (next and previous)", async () => {
    const query = { marketplaceIds: DE, sortBy: "sku", sortOrder: "ASC", pageSize: "10", includedData: "fulfillmentAvailability" }
    const seen: string[] = []
    let pageToken: string | undefined
    let pages = 0
    let previous: string | undefined
    do {
      const res = await call<SearchResults>(sim.url, "GET", PATH, { token, query: { ...query, pageToken } })
      expect(res.status).toBe(200)
      expect(contract.validateResponse("listings-items-2021-08-01.searchListingsItems", 200, res.body).errors).toBe("")
      expect(res.body.numberOfResults).toBe(25)
      seen.push(...res.body.items.map((i) => i.sku))
      if (pages === 1) previous = res.body.pagination?.previousToken
      pageToken = res.body.pagination?.nextToken
      pages += 1
    } while (pageToken)
    expect(pages).toBe(3)
    expect(seen).toEqual([...seen].sort())
    expect(new Set(seen).size).toBe(25)

    // searchListingsItems has a burst of 5: let a simulated second refill the bucket.
    sim.control.advanceClock(1_000)
    const back = await call<SearchResults>(sim.url, "GET", PATH, { token, query: { ...query, pageToken: previous } })
    expect(back.body.items.map((i) => i.sku)).toEqual(seen.slice(0, 10))

    const changed = await call(sim.url, "GET", PATH, { token, query: { ...query, sortOrder: "DESC", pageToken: previous } })
    expect(changed.status).toBe(400)
    const tooBig = await call(sim.url, "GET", PATH, { token, query: { ...query, pageSize: "21" } })
    expect(tooBig.status).toBe(400)
  })

  it("searchListingsItems filters by SKU identifiers and status", async () => {
    const bySku = await call<SearchResults>(sim.url, "GET", PATH, { token, query: { marketplaceIds: DE, identifiers: "MUG,FBA-1", identifiersType: "SKU" } })
    expect(bySku.body.items.map((i) => i.sku).sort()).toEqual(["FBA-1", "MUG"])
    const notBuyable = await call<SearchResults>(sim.url, "GET", PATH, { token, query: { marketplaceIds: DE, withoutStatus: "BUYABLE", pageSize: "20" } })
    expect(notBuyable.body.items.map((i) => i.sku)).toEqual(["BULK-00"])
  })
})
