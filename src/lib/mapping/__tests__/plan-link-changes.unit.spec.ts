import { planLinkChanges, type LinkStateListing, type LinkStateVariant } from "../plan-link-changes"

const L = (id: string, variant_id: string | null, over: Partial<LinkStateListing> = {}): LinkStateListing => ({
  id,
  seller_sku: id.toUpperCase(),
  account_id: "acc",
  marketplace_id: "DE",
  fulfillment_channel: "MERCHANT",
  variant_id,
  ...over,
})

function state(listings: LinkStateListing[], variantIds: string[]) {
  const variants = new Map<string, LinkStateVariant>(variantIds.map((id) => [id, { id, sku: `SKU-${id}`, listings: [] }]))
  for (const l of listings) {
    if (l.variant_id) variants.get(l.variant_id)?.listings.push(l)
  }
  return { listings: new Map(listings.map((l) => [l.id, l])), variants }
}

describe("planLinkChanges", () => {
  it("links, re-links (dismissing the old link), unlinks, and counts what is already so", () => {
    const s = state([L("a", null), L("b", "v1"), L("c", "v2"), L("d", null), L("e", "v3")], ["v1", "v2", "v3", "v4", "v5"])
    const plan = planLinkChanges(
      { link: [{ listing_id: "a", variant_id: "v4" }, { listing_id: "b", variant_id: "v5" }, { listing_id: "e", variant_id: "v3" }], unlink: ["c", "d"] },
      s.listings,
      s.variants
    )
    expect(plan).toEqual({
      errors: [],
      dismiss: [{ listing_id: "b", variant_id: "v1" }, { listing_id: "c", variant_id: "v2" }],
      create: [{ listing_id: "a", variant_id: "v4" }, { listing_id: "b", variant_id: "v5" }],
      enqueue_variant_ids: ["v4", "v5", "v3"],
      linked: 2,
      unlinked: 1,
      unchanged: 2,
    })
  })

  it("queues no push for FBA listings", () => {
    const s = state([L("f", null, { fulfillment_channel: "AMAZON" })], ["v1"])
    expect(planLinkChanges({ link: [{ listing_id: "f", variant_id: "v1" }], unlink: [] }, s.listings, s.variants).enqueue_variant_ids).toEqual([])
  })

  it("refuses duplicates and unknown ids, and then plans nothing", () => {
    const s = state([L("a", null), L("b", "v1")], ["v1"])
    const plan = planLinkChanges(
      { link: [{ listing_id: "a", variant_id: "v1" }, { listing_id: "a", variant_id: "v1" }, { listing_id: "x", variant_id: "v1" }, { listing_id: "b", variant_id: "nope" }], unlink: ["y"] },
      s.listings,
      s.variants
    )
    expect(plan.errors.map((e) => [e.listing_id, e.code])).toEqual([
      ["a", "duplicate"],
      ["x", "listing_not_found"],
      ["b", "variant_not_found"],
      ["y", "listing_not_found"],
    ])
    expect([plan.create, plan.dismiss, plan.enqueue_variant_ids]).toEqual([[], [], []])
  })

  it("refuses a variant that keeps another merchant SKU of the marketplace, naming it", () => {
    const s = state([L("a", "v1"), L("b", null)], ["v1"])
    const plan = planLinkChanges({ link: [{ listing_id: "b", variant_id: "v1" }], unlink: [] }, s.listings, s.variants)
    expect(plan.errors).toEqual([
      { listing_id: "b", code: "conflict", message: expect.stringMatching(/SKU-v1 is already linked to Amazon listing A .*Unlink A first/) },
    ])
  })

  it("allows moving a variant to another SKU in one batch (unlink A, link B), and other marketplaces, accounts or FBA", () => {
    const s = state([L("a", "v1"), L("b", null), L("fr", null, { marketplace_id: "FR" }), L("acc2", null, { account_id: "other" }), L("fba", null, { fulfillment_channel: "AMAZON" })], ["v1"])
    const plan = planLinkChanges(
      { link: ["b", "fr", "acc2", "fba"].map((listing_id) => ({ listing_id, variant_id: "v1" })), unlink: ["a"] },
      s.listings,
      s.variants
    )
    expect(plan.errors).toEqual([])
    expect(plan.linked).toBe(4)
  })

  it("refuses giving one variant to two merchant SKUs of the batch, on both", () => {
    const s = state([L("a", null), L("b", null)], ["v1"])
    const plan = planLinkChanges({ link: [{ listing_id: "a", variant_id: "v1" }, { listing_id: "b", variant_id: "v1" }], unlink: [] }, s.listings, s.variants)
    expect(plan.errors.map((e) => [e.listing_id, e.code])).toEqual([
      ["a", "conflict"],
      ["b", "conflict"],
    ])
    expect(plan.errors[0].message).toMatch(/would be linked to both A and B/)
  })
})
