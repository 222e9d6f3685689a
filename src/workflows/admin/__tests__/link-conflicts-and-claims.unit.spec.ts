import { merchantLinkKey, sameMarketplaceMerchantListing, type LinkedListingRef } from "../utils/link-conflicts"
import { syncClaimAccountIds } from "../utils/sync-claims"

const DE = "A1PA6795UKMFR9"
const FR = "A13V1IB3VIYZZH"

const listing = (id: string, over: Partial<LinkedListingRef> = {}): LinkedListingRef => ({
  id,
  seller_sku: id.toUpperCase(),
  account_id: "acc_1",
  marketplace_id: DE,
  fulfillment_channel: "MERCHANT",
  ...over,
})

describe("sameMarketplaceMerchantListing", () => {
  const cases: [string, LinkedListingRef, (LinkedListingRef | null)[], string | null][] = [
    ["nothing linked yet", listing("a"), [], null],
    ["the listing itself (re-link)", listing("a"), [listing("a")], null],
    ["another merchant SKU, same account and marketplace", listing("b"), [listing("a")], "a"],
    ["another marketplace", listing("b"), [listing("a", { marketplace_id: FR })], null],
    ["another account", listing("b"), [listing("a", { account_id: "acc_2" })], null],
    ["an FBA offer already linked", listing("b"), [listing("a", { fulfillment_channel: "AMAZON" })], null],
    ["linking an FBA offer", listing("b", { fulfillment_channel: "AMAZON" }), [listing("a")], null],
    ["null entries from the link graph", listing("b"), [null, listing("a")], "a"],
  ]
  it.each(cases)("%s", (_name, target, linked, expected) => {
    expect(sameMarketplaceMerchantListing(target, linked)?.id ?? null).toBe(expected)
  })

  it("gives merchant listings of one variant, account and marketplace the same key, and FBA offers none", () => {
    expect(merchantLinkKey("v1", listing("a"))).toBe(merchantLinkKey("v1", listing("b")))
    expect(merchantLinkKey("v1", listing("a"))).not.toBe(merchantLinkKey("v2", listing("a")))
    expect(merchantLinkKey("v1", listing("a"))).not.toBe(merchantLinkKey("v1", listing("a", { marketplace_id: FR })))
    expect(merchantLinkKey("v1", listing("a", { fulfillment_channel: "AMAZON" }))).toBeNull()
  })
})

describe("syncClaimAccountIds", () => {
  const enabled = ["acc_3", "acc_1", "acc_2"]
  it.each([
    ["listings_import", "acc_2", ["acc_2"]],
    ["listings_import", undefined, ["acc_1", "acc_2", "acc_3"]],
    ["orders", null, ["acc_1", "acc_2", "acc_3"]],
    ["reconcile", "acc_1", ["acc_1"]],
    // the stock push and its feed results work on the whole store whichever account is named
    ["stock_push", "acc_2", ["acc_1", "acc_2", "acc_3"]],
    ["feed_results", undefined, ["acc_1", "acc_2", "acc_3"]],
  ] as const)("%s for %s claims %j", (stream, accountId, expected) => {
    expect(syncClaimAccountIds(stream, accountId, enabled)).toEqual(expected)
  })
})
