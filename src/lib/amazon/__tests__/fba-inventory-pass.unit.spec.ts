import { AmazonApiError } from "../errors"
import { collectInventoryPass, FbaPassError, InventoryPageQuery, isRejectedNextToken } from "../fba/inventory-pass"
import { incrementalStartDateTime, toAmazonSecondIso } from "../fba/watermark"

const MP = "A1PA6795UKMFR9"
const OP = "fba-inventory-v1.getInventorySummaries"

function expired() {
  return new AmazonApiError({
    code: "InvalidInput",
    status: 400,
    operation: OP,
    kind: "fatal",
    message: "The nextToken is invalid or expired",
  })
}

/** A tiny Amazon: `stock` sorted by SKU, `size` per page, tokens "t<index>". */
function fakeAmazon(stock: Record<string, number>, size: number) {
  const skus = Object.keys(stock).sort()
  const queries: InventoryPageQuery[] = []
  const faults: ((q: InventoryPageQuery) => void)[] = []
  const fetchPage = async (q: InventoryPageQuery) => {
    queries.push({ ...q })
    const fault = faults.shift()
    fault?.(q)
    const from = q.nextToken ? Number(q.nextToken.slice(1)) : 0
    const page = skus.slice(from, from + size)
    const data = {
      payload: {
        granularity: { granularityType: "Marketplace", granularityId: q.granularityId },
        inventorySummaries: page.map((sku) => ({
          sellerSku: sku,
          totalQuantity: stock[sku],
          inventoryDetails: { fulfillableQuantity: stock[sku] },
        })),
      },
      ...(from + size < skus.length ? { pagination: { nextToken: `t${from + size}` } } : {}),
    }
    return { data, attempts: 1 }
  }
  return { fetchPage, queries, faults, stock }
}

describe("collectInventoryPass", () => {
  it("reads every page, sending startDateTime with every token", async () => {
    const amazon = fakeAmazon({ A: 1, B: 2, C: 3, D: 4, E: 5 }, 2)
    const progress: number[] = []
    const res = await collectInventoryPass({
      marketplaceId: MP,
      startDateTime: "2026-01-01T00:00:00Z",
      fetchPage: amazon.fetchPage,
      onPage: (p) => {
        progress.push(p.skus)
      },
    })
    expect(res.items.map((i) => [i.sellerSku, i.fulfillable])).toEqual([
      ["A", 1],
      ["B", 2],
      ["C", 3],
      ["D", 4],
      ["E", 5],
    ])
    expect(res).toMatchObject({ pages: 3, calls: 3, restarts: 0, skus: 5, pagesLastRun: 3 })
    expect(progress).toEqual([2, 4, 5])
    expect(amazon.queries).toEqual([
      { granularityType: "Marketplace", granularityId: MP, marketplaceIds: [MP], details: true, startDateTime: "2026-01-01T00:00:00Z" },
      { granularityType: "Marketplace", granularityId: MP, marketplaceIds: [MP], details: true, startDateTime: "2026-01-01T00:00:00Z", nextToken: "t2" },
      { granularityType: "Marketplace", granularityId: MP, marketplaceIds: [MP], details: true, startDateTime: "2026-01-01T00:00:00Z", nextToken: "t4" },
    ])
  })

  it("a full scan sends no startDateTime", async () => {
    const amazon = fakeAmazon({ A: 1 }, 2)
    await collectInventoryPass({ marketplaceId: MP, fetchPage: amazon.fetchPage })
    expect(amazon.queries[0]).not.toHaveProperty("startDateTime")
  })

  it("restarts from the first page when a token expires, losing no SKU and keeping the newest snapshot", async () => {
    const amazon = fakeAmazon({ A: 1, B: 2, C: 3, D: 4, E: 5 }, 2)
    amazon.faults.push(
      () => undefined,
      (q) => {
        expect(q.nextToken).toBe("t2")
        // stock moves while the pass is stalled; the restart reads it again
        amazon.stock.A = 10
        throw expired()
      }
    )
    const res = await collectInventoryPass({ marketplaceId: MP, startDateTime: "2026-01-01T00:00:00Z", fetchPage: amazon.fetchPage })
    expect(res.items.map((i) => [i.sellerSku, i.fulfillable])).toEqual([
      ["A", 10],
      ["B", 2],
      ["C", 3],
      ["D", 4],
      ["E", 5],
    ])
    expect(res).toMatchObject({ restarts: 1, pages: 4, calls: 5, pagesLastRun: 3, skus: 5 })
    expect(amazon.queries.map((q) => q.nextToken ?? "-")).toEqual(["-", "t2", "-", "t2", "t4"])
    expect(amazon.queries.every((q) => q.startDateTime === "2026-01-01T00:00:00Z")).toBe(true)
  })

  it("gives up with TOO_MANY_RESTARTS when tokens keep expiring", async () => {
    const amazon = fakeAmazon({ A: 1, B: 2, C: 3 }, 1)
    for (let i = 0; i < 10; i++) {
      amazon.faults.push(
        () => undefined,
        () => {
          throw expired()
        }
      )
    }
    const err = await collectInventoryPass({ marketplaceId: MP, maxRestarts: 2, fetchPage: amazon.fetchPage }).catch((e) => e)
    expect(err).toBeInstanceOf(FbaPassError)
    expect(err.code).toBe("TOO_MANY_RESTARTS")
    expect(err.progress).toMatchObject({ restarts: 2, calls: 6 })
  })

  it("does not treat a 400 on the first page as an expired token", async () => {
    const amazon = fakeAmazon({ A: 1 }, 1)
    amazon.faults.push(() => {
      throw expired()
    })
    const err = await collectInventoryPass({ marketplaceId: MP, fetchPage: amazon.fetchPage }).catch((e) => e)
    expect(err).toBeInstanceOf(AmazonApiError)
    expect(err.code).toBe("InvalidInput")
    expect(amazon.queries).toHaveLength(1)
  })

  it("counts the SP-API client's retries as calls and refuses an answer for another marketplace", async () => {
    const res = await collectInventoryPass({
      marketplaceId: MP,
      fetchPage: async () => ({ data: { payload: { granularity: { granularityId: MP }, inventorySummaries: [] } }, attempts: 3 }),
    })
    expect(res).toMatchObject({ calls: 3, pages: 1, skus: 0, items: [] })

    const err = await collectInventoryPass({
      marketplaceId: MP,
      fetchPage: async () => ({ data: { payload: { granularity: { granularityId: "ATVPDKIKX0DER" }, inventorySummaries: [] } } }),
    }).catch((e) => e)
    expect(err.code).toBe("GRANULARITY_MISMATCH")
  })

  it("refuses a token that never changes", async () => {
    const err = await collectInventoryPass({
      marketplaceId: MP,
      fetchPage: async () => ({ data: { payload: { inventorySummaries: [] }, pagination: { nextToken: "same" } } }),
    }).catch((e) => e)
    expect(err.code).toBe("PAGING_LOOP")
  })
})

describe("isRejectedNextToken", () => {
  it.each([
    [expired(), "tok", true],
    [expired(), undefined, false],
    [new AmazonApiError({ code: "QuotaExceeded", status: 429, operation: OP, kind: "retryable", message: "x" }), "tok", false],
    [new Error("InvalidInput"), "tok", false],
  ])("%#", (error, token, expected) => {
    expect(isRejectedNextToken(error, token)).toBe(expected)
  })
})

describe("incrementalStartDateTime", () => {
  const now = new Date("2026-06-01T12:00:00.000Z")
  it.each([
    ["no watermark: full scan", null, 0, undefined],
    ["floors to the second", "2026-06-01T11:00:00.750Z", 0, "2026-06-01T11:00:00Z"],
    ["subtracts the overlap", "2026-06-01T11:00:00.000Z", 300_000, "2026-06-01T10:55:00Z"],
    ["older than 18 months: full scan", "2024-11-01T00:00:00.000Z", 0, undefined],
    ["garbage: full scan", "not a date", 0, undefined],
  ])("%s", (_name, watermark, overlap, expected) => {
    expect(incrementalStartDateTime(watermark, now, overlap)).toBe(expected)
  })

  it("formats like Amazon", () => {
    expect(toAmazonSecondIso(Date.parse("2026-01-02T03:04:05.999Z"))).toBe("2026-01-02T03:04:05Z")
  })
})
