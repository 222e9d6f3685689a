import { ContractValidator, startSimulator, type SimulatorHandle } from "../index"
import { accessToken, call, DE, SELLER } from "./helpers/sp-client"

type Summary = { sellerSku: string; asin?: string; lastUpdatedTime: string; totalQuantity: number; inventoryDetails?: { fulfillableQuantity: number; reservedQuantity: { totalReservedQuantity: number } } }
type InventoryResponse = { payload: { granularity: { granularityType: string; granularityId: string }; inventorySummaries: Summary[] }; pagination?: { nextToken?: string }; errors?: { code: string; message: string }[] }

const contract = new ContractValidator()
const START = Date.parse("2026-03-01T12:00:00Z")

describe("FBA Inventory v1 and Sellers v1", () => {
  let sim: SimulatorHandle
  let token: string

  beforeAll(async () => {
    sim = await startSimulator({ startTime: START })
  })
  afterAll(() => sim.close())

  beforeEach(async () => {
    sim.control.reset()
    sim.control.seedSeller(SELLER)
    // 120 SKUs: more than two pages of 50
    sim.control.setFbaInventory(
      Array.from({ length: 120 }, (_, i) => ({ sellerId: SELLER.sellerId, sku: `FBA-${String(i).padStart(3, "0")}`, fulfillable: i, reserved: { pendingCustomerOrder: 1 } })),
    )
    sim.control.seedListings([{ sellerId: SELLER.sellerId, sku: "FBA-000", asin: "B0000FBA00", fulfillmentChannel: "AMAZON_EU", itemName: "Thing" }])
    token = await accessToken(sim)
  })

  function summaries(query: Record<string, string | undefined>) {
    // getInventorySummaries allows 2 requests per second with a burst of 2; tests are not about that here
    sim.control.refillQuotas()
    return call<InventoryResponse>(sim.url, "GET", "/fba/inventory/v1/summaries", {
      token,
      query: { granularityType: "Marketplace", granularityId: DE, marketplaceIds: DE, ...query },
    })
  }

  it("returns pages of 50 summaries, with inventoryDetails only when details=true", async () => {
    const first = await summaries({ details: "true" })
    expect(first.status).toBe(200)
    expect(contract.validateResponse("fba-inventory-v1.getInventorySummaries", 200, first.body).errors).toBe("")
    expect(first.body.payload.granularity).toEqual({ granularityType: "Marketplace", granularityId: DE })
    expect(first.body.payload.inventorySummaries).toHaveLength(50)
    const sku0 = first.body.payload.inventorySummaries[0]
    expect(sku0).toMatchObject({ sellerSku: "FBA-000", asin: "B0000FBA00", totalQuantity: 1, inventoryDetails: { fulfillableQuantity: 0, reservedQuantity: { totalReservedQuantity: 1 } } })

    const skus: string[] = first.body.payload.inventorySummaries.map((s) => s.sellerSku)
    let nextToken = first.body.pagination?.nextToken
    while (nextToken) {
      const page = await summaries({ nextToken })
      expect(page.status).toBe(200)
      expect(page.body.payload.inventorySummaries.every((s) => s.inventoryDetails === undefined)).toBe(true)
      skus.push(...page.body.payload.inventorySummaries.map((s) => s.sellerSku))
      nextToken = page.body.pagination?.nextToken
    }
    expect(skus).toHaveLength(120)
    expect(new Set(skus).size).toBe(120)
  })

  it("expires nextToken after 30 simulated seconds", async () => {
    const first = await summaries({})
    const nextToken = first.body.pagination?.nextToken as string
    sim.control.advanceClock(29_000)
    expect((await summaries({ nextToken })).status).toBe(200)

    const again = await summaries({})
    sim.control.advanceClock(31_000)
    const expired = await summaries({ nextToken: again.body.pagination?.nextToken })
    expect(expired.status).toBe(400)
    expect(expired.body.errors).toEqual([{ code: "InvalidInput", message: "The nextToken is invalid or expired" }])
    expect(contract.validateResponse("fba-inventory-v1.getInventorySummaries", 400, expired.body).errors).toBe("")
    expect((await summaries({ nextToken: "garbage" })).status).toBe(400)
  })

  it("with startDateTime returns only SKUs changed since then and requires it on every page", async () => {
    sim.control.advanceClock(60_000)
    const since = new Date(sim.control.now()).toISOString()
    sim.control.advanceClock(1_000)
    sim.control.setFbaInventory(Array.from({ length: 60 }, (_, i) => ({ sellerId: SELLER.sellerId, sku: `FBA-${String(i * 2).padStart(3, "0")}`, fulfillable: 500 })))

    const first = await summaries({ startDateTime: since, sellerSkus: "FBA-001" })
    expect(first.status).toBe(200)
    expect(first.body.payload.inventorySummaries).toHaveLength(50)
    expect(first.body.payload.inventorySummaries.every((s) => Date.parse(s.lastUpdatedTime) >= Date.parse(since))).toBe(true)
    const nextToken = first.body.pagination?.nextToken as string

    const withoutStart = await summaries({ nextToken })
    expect(withoutStart.status).toBe(400)
    const otherStart = await summaries({ nextToken, startDateTime: new Date(START).toISOString() })
    expect(otherStart.status).toBe(400)
    const second = await summaries({ nextToken, startDateTime: since })
    expect(second.status).toBe(200)
    expect(second.body.payload.inventorySummaries).toHaveLength(10)
    expect(second.body.pagination).toBeUndefined()
  })

  it("filters by sellerSkus and validates its parameters", async () => {
    const some = await summaries({ sellerSkus: "FBA-001,FBA-002" })
    expect(some.body.payload.inventorySummaries.map((s) => s.sellerSku)).toEqual(["FBA-001", "FBA-002"])
    expect((await summaries({ granularityType: "Country" })).status).toBe(400)
    expect((await summaries({ marketplaceIds: `${DE},A13V1IB3VIYZZH` })).status).toBe(400)
    expect((await summaries({ startDateTime: "2020-01-01T00:00:00Z" })).status).toBe(400)
  })

  it("lastUpdatedTime moves on every stock change", async () => {
    sim.control.advanceClock(1_800_000)
    const before = sim.control.now()
    const [updated] = sim.control.setFbaInventory([{ sellerId: SELLER.sellerId, sku: "FBA-007", fulfillable: 3 }])
    expect(updated.lastUpdatedAt).toBeGreaterThanOrEqual(before)
    // fields not given keep their values
    expect(updated.reserved.pendingCustomerOrder).toBe(1)
    const res = await summaries({ sellerSkus: "FBA-007" })
    expect(Date.parse(res.body.payload.inventorySummaries[0].lastUpdatedTime)).toBeGreaterThanOrEqual(START + 1_800_000)
  })

  it("getMarketplaceParticipations lists the seller's marketplaces", async () => {
    const res = await call<{ payload: { marketplace: { id: string; countryCode: string; defaultCurrencyCode: string }; participation: { isParticipating: boolean } }[] }>(
      sim.url,
      "GET",
      "/sellers/v1/marketplaceParticipations",
      { token },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get("x-amzn-ratelimit-limit")).toBe("0.016")
    expect(contract.validateResponse("sellers-v1.getMarketplaceParticipations", 200, res.body).errors).toBe("")
    expect(res.body.payload.map((p) => [p.marketplace.id, p.marketplace.countryCode, p.marketplace.defaultCurrencyCode, p.participation.isParticipating])).toEqual([
      ["A1PA6795UKMFR9", "DE", "EUR", true],
      ["A13V1IB3VIYZZH", "FR", "EUR", true],
    ])
  })
})
