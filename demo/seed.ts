import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import { createTestProduct, seedTestStore, TestStore } from "../integration-tests/helpers/store-seed"
import { AMAZON_MODULE } from "../src/modules/amazon"
import type AmazonModuleService from "../src/modules/amazon/service"
import type { QuantityRules } from "../src/types/account-settings"
import { DEMO_CREDENTIALS } from "../simulator"
import type { Stack } from "./stack"

export interface DemoCatalogue {
  store: TestStore
  accountId: string
  /** sku → variant id */
  variants: Record<string, string>
  /** merchant-fulfilled SKUs (their quantity is pushed to Amazon) */
  mfnSkus: string[]
  fbaSku: string
  /** The account's quantity rules: what Amazon shows is the store's availability through these. */
  rules: QuantityRules
  admin: { email: string; password: string }
}

const MARKETPLACE = DEMO_CREDENTIALS.marketplaceId
const RULES: QuantityRules = { buffer: 1 }

/** A small catalogue with stock at two locations, wired to a simulated Amazon seller. */
export async function seedDemo(stack: Stack, say: (l: string) => void): Promise<DemoCatalogue> {
  const { container, sim } = stack
  const store = await seedTestStore(container, { locationNames: ["Berlin warehouse", "Hamburg shop"] })
  const [berlin, hamburg] = store.locationIds

  const tee = await createTestProduct(container, store, "Organic T-shirt", [
    { sku: "DEMO-TEE-S", stock: { [berlin]: 12, [hamburg]: 4 } },
    { sku: "DEMO-TEE-M", stock: { [berlin]: 3, [hamburg]: 2 } },
  ])
  const mug = await createTestProduct(container, store, "Enamel mug", [{ sku: "DEMO-MUG", stock: { [berlin]: 25 } }])
  const bottle = await createTestProduct(container, store, "Steel bottle (FBA)", [{ sku: "DEMO-BOTTLE", stock: {} }])
  const variants: Record<string, string> = {
    "DEMO-TEE-S": tee.variants["DEMO-TEE-S"].id,
    "DEMO-TEE-M": tee.variants["DEMO-TEE-M"].id,
    "DEMO-MUG": mug.variants["DEMO-MUG"].id,
    "DEMO-BOTTLE": bottle.variants["DEMO-BOTTLE"].id,
  }
  say("seeded: 4 variants with stock at Berlin warehouse + Hamburg shop (TEE-S 12+4, TEE-M 3+2, MUG 25)")

  const admin = { email: "admin@amazon-demo.test", password: "supersecret" }
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", {
    body: { email: admin.email, password: admin.password },
  } as any)
  if (error || !authIdentity) throw new Error(`admin user: ${error}`)
  await createUserAccountWorkflow(container).run({
    input: { authIdentityId: authIdentity.id, userData: { email: admin.email, first_name: "Demo", last_name: "Admin" } },
  })

  // Amazon's side: the seller, stale quantities on Amazon, an FBA offer with stock in Amazon's warehouse.
  const { sellerId, clientId, clientSecret, refreshToken } = DEMO_CREDENTIALS
  sim.control.seedSeller({ sellerId, clientId, clientSecret, refreshToken, marketplaceIds: [MARKETPLACE] })
  sim.control.seedListings([
    { sku: "DEMO-TEE-S", quantity: 50, productType: "SHIRT", itemName: "Organic T-shirt S" },
    { sku: "DEMO-TEE-M", quantity: 50, productType: "SHIRT", itemName: "Organic T-shirt M" },
    { sku: "DEMO-MUG", quantity: 50, productType: "DRINKING_CUP", itemName: "Enamel mug" },
    { sku: "DEMO-BOTTLE", fulfillmentChannel: "AMAZON_EU", productType: "BOTTLE", itemName: "Steel bottle" },
  ])
  sim.control.setFbaInventory([{ sku: "DEMO-BOTTLE", fulfillable: 40, inboundShipped: 12, productName: "Steel bottle" }])
  say("simulator: seller A1SIMSELLER00 on Amazon.de shows 50 of each MFN SKU (stale); 40 bottles in FBA")

  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [account] = await amazon.createAccounts([
    {
      name: "Amazon.de (simulator)",
      region: "EU",
      seller_id: sellerId,
      marketplace_ids: [MARKETPLACE],
      lwa_client_id: clientId,
      lwa_client_secret: clientSecret,
      refresh_token: refreshToken,
      sp_api_base_url: sim.url,
      lwa_token_url: `${sim.url}/auth/o2/token`,
      settings: { stock_location_ids: [berlin, hamburg], rules: RULES },
    },
  ])
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const listings = [
    { sku: "DEMO-TEE-S", type: "SHIRT", channel: "MERCHANT" },
    { sku: "DEMO-TEE-M", type: "SHIRT", channel: "MERCHANT" },
    { sku: "DEMO-MUG", type: "DRINKING_CUP", channel: "MERCHANT" },
    { sku: "DEMO-BOTTLE", type: "BOTTLE", channel: "AMAZON" },
  ] as const
  for (const l of listings) {
    const listing = await amazon.createAmazonListings({
      account_id: account.id,
      marketplace_id: MARKETPLACE,
      seller_sku: l.sku,
      product_type: l.type,
      fulfillment_channel: l.channel,
    })
    await link.create({
      [AMAZON_MODULE]: { amazon_listing_id: listing.id },
      [Modules.PRODUCT]: { product_variant_id: variants[l.sku] },
    })
  }
  say(`account ${account.id} → simulator; listings linked (3 merchant-fulfilled, 1 FBA); rule: keep 1 unit back`)

  // The first sync: every mapped merchant SKU goes to the outbox (the daily reconcile would do the same).
  const mfnSkus = listings.filter((l) => l.channel === "MERCHANT").map((l) => l.sku)
  await amazon.enqueueStockChanges(mfnSkus.map((sku) => ({ variant_id: variants[sku], reason: "demo.initial-sync" })))

  return { store, accountId: account.id, variants, mfnSkus: [...mfnSkus], fbaSku: "DEMO-BOTTLE", rules: RULES, admin }
}
