import { parseCsv } from "../csv"
import { listingKey, mappingCsv, planMappingImport, readMappingRows, type MappingState } from "../mapping-file"
import type { LinkStateListing, LinkStateVariant } from "../plan-link-changes"

const ACC = "amzacc_1"

const listing = (id: string, seller_sku: string, variant_id: string | null, over: Partial<LinkStateListing> = {}): LinkStateListing => ({
  id,
  seller_sku,
  account_id: ACC,
  marketplace_id: "DE",
  fulfillment_channel: "MERCHANT",
  variant_id,
  ...over,
})

function stateOf(listings: LinkStateListing[], variants: { id: string; sku: string | null }[]): MappingState {
  const vs = new Map<string, LinkStateVariant>(variants.map((v) => [v.id, { ...v, listings: [] }]))
  for (const l of listings) if (l.variant_id) vs.get(l.variant_id)!.listings.push(l)
  return {
    listing_id_by_key: new Map(listings.map((l) => [listingKey(l), l.id])),
    listings: new Map(listings.map((l) => [l.id, l])),
    variant_id_by_sku: new Map(variants.filter((v) => v.sku).map((v) => [v.sku!, v.id])),
    variants: vs,
  }
}

const read = (csv: string, accounts = [ACC]) => readMappingRows(parseCsv(csv, { maxRows: 100 }), accounts)

describe("mapping file", () => {
  const state = stateOf(
    [listing("l1", "A", "v1"), listing("l2", "B", null), listing("l3", "C", "v3"), listing("l4", "D", "v4"), listing("l5", "A", null, { fulfillment_channel: "AMAZON" })],
    [{ id: "v1", sku: "VA" }, { id: "v2", sku: "VB" }, { id: "v3", sku: "VC" }, { id: "v4", sku: "VD" }]
  )

  it("re-imports its own export as all unchanged", () => {
    const csv = mappingCsv([
      { account_id: ACC, marketplace_id: "DE", seller_sku: "A", fulfillment_channel: "MERCHANT", asin: "B0X", item_name: "=Mug, \"red\"", variant_sku: "VA", variant_id: "v1" },
      { account_id: ACC, marketplace_id: "DE", seller_sku: "B", fulfillment_channel: "MERCHANT", asin: null, item_name: null, variant_sku: null, variant_id: null },
    ])
    expect(csv.split("\r\n")[1]).toBe(`${ACC},DE,A,MERCHANT,B0X,"'=Mug, ""red""",VA,v1`)
    const preview = planMappingImport(read(csv), state)
    expect(preview.rows.map((r) => r.action)).toEqual(["unchanged", "unchanged"])
    expect(preview.changes).toEqual({ link: [], unlink: [] })
  })

  it("links by variant SKU or id, unlinks on an empty variant, the channel defaults to MERCHANT and the account to the only one", () => {
    const preview = planMappingImport(read("seller_sku,marketplace_id,variant_sku,variant_id\nB,DE,VB,\nC,DE,,\nA,DE,,v1\nA,de,,\n"), state)
    expect(preview.rows.map((r) => [r.line, r.action, r.variant_sku ?? null, r.error ?? null])).toEqual([
      [2, "link", "VB", null],
      [3, "unlink", null, null],
      [4, "unchanged", "VA", null],
      [5, "error", null, expect.stringMatching(/No MERCHANT listing A in marketplace de/)],
    ])
    expect(preview.changes).toEqual({ link: [{ listing_id: "l2", variant_id: "v2" }], unlink: ["l3"] })
    expect(preview.totals).toEqual({ rows: 4, link: 1, unlink: 1, unchanged: 1, error: 1 })
  })

  it("reports each bad row: unknown SKU, unknown variant, two variants named, duplicate, conflict, bad channel", () => {
    const csv = [
      "seller_sku,marketplace_id,fulfillment_channel,variant_sku,variant_id",
      "NOPE,DE,,VA,", // unknown listing
      "B,DE,,V-MISSING,", // unknown variant SKU
      "C,DE,,VA,v3", // names two variants
      "B,DE,,VB,", // duplicate of line 3 → error
      "D,DE,,VA,", // VA sells as A already
      "A,DE,FBM,VA,", // bad channel
      "A,DE,AMAZON,VA,", // FBA: no conflict
    ].join("\n")
    const preview = planMappingImport(read(csv), state)
    expect(preview.rows.map((r) => [r.line, r.action, r.error ?? null])).toEqual([
      [2, "error", expect.stringMatching(/No MERCHANT listing NOPE/)],
      [3, "error", "No variant has the SKU V-MISSING."],
      [4, "error", expect.stringMatching(/name two different variants/)],
      [5, "error", "Duplicate of line 3: each listing may appear once."],
      [6, "error", expect.stringMatching(/VA is already linked to Amazon listing A .*Unlink A first/)],
      [7, "error", expect.stringMatching(/fulfillment_channel must be MERCHANT or AMAZON/)],
      [8, "link", null],
    ])
  })

  it("accepts the conflict once the same file unlinks the other SKU", () => {
    const preview = planMappingImport(read("seller_sku,marketplace_id,variant_sku\nD,DE,VA\nA,DE,\n"), state)
    expect(preview.rows.map((r) => r.action)).toEqual(["link", "unlink"])
  })

  it("needs the account with several accounts, and refuses a header without the key columns", () => {
    expect(read("seller_sku,marketplace_id,variant_sku\nA,DE,VA\n", [ACC, "amzacc_2"])[0].error).toMatch(/account_id is empty and there are 2/)
    expect(read("account_id,seller_sku,marketplace_id,variant_sku\nacc_x,A,DE,VA\n")[0].error).toBe("Amazon account acc_x does not exist.")
    expect(() => read("sku,marketplace_id,variant_sku\nA,DE,VA\n")).toThrow(/no seller_sku column/)
    expect(() => read("seller_sku,marketplace_id\nA,DE\n")).toThrow(/variant_sku or a variant_id column/)
  })
})
