import { gtinKey, lookupWords, normalizeSku, rankSuggestions, scoreCandidate, type VariantCandidate } from "../suggest"
import { titleSimilarity, titleWords } from "../title-score"

const variant = (over: Partial<VariantCandidate> & { id: string }): VariantCandidate => ({
  sku: null,
  title: "Default variant",
  product_id: "prod_1",
  product_title: null,
  barcode: null,
  ean: null,
  upc: null,
  ...over,
})

describe("titleSimilarity (Dice over word sets)", () => {
  it.each([
    ["Ceramic mug, red", "Ceramic mug Red", 1],
    ["Ceramic mug, red", "Ceramic mug Blue", 2 / 3],
    ["Mug red ceramic", "ceramic MUG red", 1],
    ["Organic T-shirt, M", "Organic T-shirt M", 1],
    ["Steel bottle 750 ml", "Ceramic mug", 0],
    ["", "Ceramic mug", 0],
    ["Kaffeebecher Keramik", "Kaffeebecher Keramick", 1],
    ["colour mug", "color mug", 1],
    ["Red mug", "Red mugs", 0.5],
  ])("%j ~ %j = %d", (a, b, expected) => {
    expect(titleSimilarity(a, b)).toBeCloseTo(expected, 5)
  })

  it("keeps letters of any script and drops duplicates", () => {
    expect(titleWords("Tasse, grün – grün!")).toEqual(["tasse", "grün"])
  })
})

describe("SKU and GTIN keys", () => {
  it("normalises case and separators", () => {
    expect(normalizeSku("ab_C-12 3")).toBe("abc123")
  })
  it("reads GTINs without leading zeros, and nothing else", () => {
    expect(gtinKey("012345678905")).toBe("12345678905")
    expect(gtinKey("0012345678905")).toBe("12345678905")
    expect(gtinKey("ABC-1")).toBeNull()
    expect(gtinKey("1234")).toBeNull()
  })
  it("looks candidates up by words of 3+ characters or numbers, longest first", () => {
    expect(lookupWords("Mug, red 2 x 350 ml")).toEqual(["mug", "red", "350", "2"])
  })
})

describe("rankSuggestions", () => {
  const listing = { seller_sku: "MUG-RED-01", item_name: "Ceramic mug, red" }

  it("ranks exact SKU, then SKU without separators, then EAN, then title, and says why", () => {
    const candidates = [
      variant({ id: "v_title", sku: "X-9", title: "Red", product_title: "Ceramic mug" }),
      variant({ id: "v_ean", sku: "Q-1", ean: "MUG-RED-01" }),
      variant({ id: "v_norm", sku: "mug_red_01" }),
      variant({ id: "v_exact", sku: "MUG-RED-01", title: "Red", product_title: "Ceramic mug" }),
      variant({ id: "v_none", sku: "ZZZ", product_title: "Steel bottle" }),
    ]
    const ranked = rankSuggestions(listing, candidates)
    expect(ranked.map((r) => [r.candidate.id, r.score, r.reasons])).toEqual([
      ["v_exact", 100, ["same SKU", "title 100% alike"]],
      ["v_norm", 90, ["same SKU ignoring case and separators"]],
      ["v_ean", 85, ["EAN equals the SKU"]],
      ["v_title", 80, ["title 100% alike"]],
    ])
  })

  it("matches a UPC to a 13-digit SKU of the same GTIN", () => {
    const r = scoreCandidate({ seller_sku: "0012345678905", item_name: null }, variant({ id: "v", upc: "012345678905" }))
    expect(r).toMatchObject({ score: 85, reasons: ["UPC equals the SKU"] })
  })

  it("leaves out titles under 40% alike and keeps at most `limit`", () => {
    expect(scoreCandidate(listing, variant({ id: "v", product_title: "Ceramic plate blue large" }))).toBeNull()
    const many = Array.from({ length: 8 }, (_, i) => variant({ id: `v${i}`, sku: `S${i}`, product_title: "Ceramic mug", title: "Red" }))
    expect(rankSuggestions(listing, many, 5).map((r) => r.candidate.id)).toEqual(["v0", "v1", "v2", "v3", "v4"])
  })
})
