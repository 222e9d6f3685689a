import { model } from "@medusajs/framework/utils"
import { AMAZON_REGIONS } from "../../../lib/amazon/endpoints"
import { AmazonFbaStock } from "./amazon-fba-stock"
import { AmazonFeed } from "./amazon-feed"
import { AmazonListing } from "./amazon-listing"
import { AmazonOrder } from "./amazon-order"
import { AmazonSyncCursor } from "./amazon-sync-cursor"

/**
 * One Amazon seller authorisation (a seller id in one region) with its LWA credentials.
 * The client secret and the refresh token are stored only encrypted (AES-256-GCM, see utils/crypto.ts);
 * the service decrypts them in memory to build the SP-API client and never returns them.
 */
export const AmazonAccount = model
  .define("amazon_account", {
    id: model.id({ prefix: "amzacc" }).primaryKey(),
    name: model.text(),
    region: model.enum([...AMAZON_REGIONS]),
    /** Amazon's selling partner id (Seller Central → Account Info → Merchant Token). */
    seller_id: model.text(),
    /** Marketplace ids this account sells in, e.g. ["A1PA6795UKMFR9"]. */
    marketplace_ids: model.json(),
    lwa_client_id: model.text(),
    /** `v1:<iv>:<tag>:<ciphertext>` — never the plain secret. */
    lwa_client_secret_encrypted: model.text(),
    /** `v1:<iv>:<tag>:<ciphertext>` — never the plain refresh token. */
    refresh_token_encrypted: model.text(),
    /**
     * Talk to Amazon's SP-API sandbox for the region instead of production (test credentials of a
     * sandbox app). Amazon's own hosts either way.
     */
    sandbox: model.boolean().default(false),
    /**
     * Endpoint overrides (the local simulator, a proxy). Used only when the store's configuration allows
     * their origin (plugin option `allowedEndpoints` / `allowLoopbackEndpoints`); never by admin input alone.
     */
    sp_api_base_url: model.text().nullable(),
    lwa_token_url: model.text().nullable(),
    enabled: model.boolean().default(true),
    /** When the seller (re-)authorised the app: Amazon expires authorisations after 365 days. */
    authorized_at: model.dateTime().nullable(),
    /** Per-account settings owned by the sync features (counted locations, rules, schedules …). */
    settings: model.json().nullable(),
    listings: model.hasMany(() => AmazonListing, { mappedBy: "account" }),
    cursors: model.hasMany(() => AmazonSyncCursor, { mappedBy: "account" }),
    feeds: model.hasMany(() => AmazonFeed, { mappedBy: "account" }),
    orders: model.hasMany(() => AmazonOrder, { mappedBy: "account" }),
    fba_stock: model.hasMany(() => AmazonFbaStock, { mappedBy: "account" }),
  })
  .indexes([
    {
      on: ["seller_id", "region"],
      unique: true,
      where: "deleted_at IS NULL",
    },
  ])
  .cascades({ delete: ["listings", "cursors", "feeds", "fba_stock"] })
