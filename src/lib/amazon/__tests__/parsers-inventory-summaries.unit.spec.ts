import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { components } from "../generated/fba-inventory-v1"
import { parseInventorySummaries } from "../parsers/parse-inventory-summaries"
import { InventoryParseError } from "../parsers/payload-reader"
import type { InventoryParseErrorCode } from "../parsers/payload-reader"

type Response = components["schemas"]["GetInventorySummariesResponse"]

const fixture = (name: string): Response =>
  JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8")) as Response

function errorOf(fn: () => unknown): { code: InventoryParseErrorCode; path: string } {
  try {
    fn()
  } catch (e) {
    if (e instanceof InventoryParseError) {
      return { code: e.code, path: e.path }
    }
    throw e
  }
  throw new Error("expected an InventoryParseError")
}

describe("parseInventorySummaries", () => {
  it("reads a details=true page, keeping the paging token verbatim", () => {
    expect(parseInventorySummaries(fixture("fba-inventory-summaries.details.json"))).toEqual({
      granularityId: "ATVPDKIKX0DER",
      // not URL-decoded here: the SP-API client encodes it when sending it back
      nextToken: "seed/abc+def==",
      items: [
        {
          sellerSku: "ECHO-POP-US-BLK",
          asin: "B0BSHF7WHW",
          fnSku: "X0012ABCDE",
          condition: "NewItem",
          hasDetails: true,
          fulfillable: 42,
          inboundWorking: 10,
          inboundShipped: 5,
          inboundReceiving: 3,
          reserved: 4,
          unfulfillable: 2,
          researching: 1,
          total: 67,
          lastUpdatedTime: "2026-03-01T12:00:00Z",
        },
        {
          sellerSku: "FTV-4K-MAX-US",
          asin: "B07PFFMP9P",
          fnSku: "X0012FGHIJ",
          condition: "NewItem",
          hasDetails: true,
          // real zeros stay zeros
          fulfillable: 0,
          inboundWorking: 0,
          inboundShipped: 0,
          inboundReceiving: 0,
          reserved: 0,
          unfulfillable: 0,
          researching: 0,
          total: 0,
          // lastUpdatedTime "" means "never", so it is left out
        },
      ],
    })
  })

  it("represents missing inventoryDetails (details=false) as null, never 0", () => {
    expect(parseInventorySummaries(fixture("fba-inventory-summaries.no-details.json"))).toEqual({
      granularityId: "A1PA6795UKMFR9",
      items: [
        {
          sellerSku: "ECHO-POP-DE",
          asin: "B0BSHF7WHW",
          fnSku: "X0012ABCDE",
          condition: "NewItem",
          hasDetails: false,
          fulfillable: null,
          inboundWorking: null,
          inboundShipped: null,
          inboundReceiving: null,
          reserved: null,
          unfulfillable: null,
          researching: null,
          total: 13,
          lastUpdatedTime: "2026-03-01T12:00:00Z",
        },
      ],
    })
  })

  it("keeps fields missing inside inventoryDetails as null too", () => {
    const response = fixture("fba-inventory-summaries.details.json")
    response.payload!.inventorySummaries[0].inventoryDetails = { fulfillableQuantity: 9, reservedQuantity: {} }
    delete response.payload!.inventorySummaries[0].totalQuantity
    const [item] = parseInventorySummaries(response).items
    expect(item).toMatchObject({
      hasDetails: true,
      fulfillable: 9,
      inboundWorking: null,
      reserved: null,
      unfulfillable: null,
      researching: null,
      total: null,
    })
  })

  it("accepts an empty last page and an empty errors list", () => {
    expect(parseInventorySummaries({ payload: { granularity: {}, inventorySummaries: [] }, errors: [] })).toEqual({
      items: [],
    })
  })

  it.each<[string, (r: Response & Record<string, unknown>) => void, InventoryParseErrorCode, string]>([
    [
      "a 200 that carries errors",
      (r) => void (r.errors = [{ code: "InvalidInput", message: "Invalid granularityId" }]),
      "AMAZON_ERRORS",
      "errors",
    ],
    ["no payload", (r) => void delete r.payload, "MISSING_FIELD", "payload"],
    [
      "inventorySummaries not an array",
      (r) => void ((r.payload as Record<string, unknown>).inventorySummaries = {}),
      "INVALID_TYPE",
      "payload.inventorySummaries",
    ],
    [
      "a summary without sellerSku",
      (r) => void delete r.payload!.inventorySummaries[1].sellerSku,
      "MISSING_FIELD",
      "payload.inventorySummaries[1].sellerSku",
    ],
    [
      "a negative quantity",
      (r) => void (r.payload!.inventorySummaries[0].inventoryDetails!.fulfillableQuantity = -1),
      "INVALID_QUANTITY",
      "payload.inventorySummaries[0].inventoryDetails.fulfillableQuantity",
    ],
    [
      "a quantity as a string",
      (r) =>
        void ((r.payload!.inventorySummaries[0].inventoryDetails!.reservedQuantity as Record<string, unknown>).totalReservedQuantity =
          "4"),
      "INVALID_QUANTITY",
      "payload.inventorySummaries[0].inventoryDetails.reservedQuantity.totalReservedQuantity",
    ],
    [
      "a fractional totalQuantity",
      (r) => void (r.payload!.inventorySummaries[0].totalQuantity = 1.5),
      "INVALID_QUANTITY",
      "payload.inventorySummaries[0].totalQuantity",
    ],
    [
      "inventoryDetails that is not an object",
      (r) => void ((r.payload!.inventorySummaries[0] as Record<string, unknown>).inventoryDetails = [1]),
      "INVALID_TYPE",
      "payload.inventorySummaries[0].inventoryDetails",
    ],
    [
      "a malformed lastUpdatedTime",
      (r) => void (r.payload!.inventorySummaries[0].lastUpdatedTime = "01/03/2026"),
      "INVALID_DATE",
      "payload.inventorySummaries[0].lastUpdatedTime",
    ],
  ])("refuses %s", (_label, mutate, code, path) => {
    const response = fixture("fba-inventory-summaries.details.json") as Response & Record<string, unknown>
    mutate(response)
    expect(errorOf(() => parseInventorySummaries(response))).toEqual({ code, path })
  })

  it.each<[string, unknown]>([
    ["null", null],
    ["an array", []],
  ])("refuses %s as a response", (_label, input) => {
    expect(errorOf(() => parseInventorySummaries(input))).toEqual({ code: "INVALID_TYPE", path: "" })
  })
})
