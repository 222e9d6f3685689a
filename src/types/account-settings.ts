import { z } from "@medusajs/framework/zod"
import { CANCEL_REASONS } from "../lib/amazon/feeds/build-order-acknowledgement-feed"

/**
 * Quantity rules applied to the store's available quantity before it is sent to Amazon, in this order:
 * subtract `buffer`, take `percentage` % (floored), cap at `max`, send 0 when below `min`, never negative.
 * Set per account (settings.rules) and overridable per listing (amazon_listing.rules, field by field).
 */
export const QuantityRulesSchema = z
  .object({
    buffer: z.number().int().min(0).optional(),
    percentage: z.number().min(0).max(100).optional(),
    max: z.number().int().min(0).optional(),
    min: z.number().int().min(0).optional(),
  })
  .strict()

export type QuantityRules = z.infer<typeof QuantityRulesSchema>

/**
 * What is wrong with a set of rules beyond their field types (min above max), or null. Kept out of the
 * schema so the schema stays a plain object that validators can `.omit`/`.extend`; every writer of rules
 * (account settings, a listing's rules) calls it and answers 400 with the message.
 */
export function quantityRulesProblem(rules: QuantityRules | null | undefined, field = "rules"): string | null {
  if (rules && rules.min !== undefined && rules.max !== undefined && rules.min > rules.max) {
    return `Field '${field}': min (${rules.min}) must not be above max (${rules.max})`
  }
  return null
}

/**
 * The Amazon carrier a Medusa shipment goes out with (confirmShipment `carrierCode` / `carrierName`,
 * `shippingMethod`). `code` is one of Amazon's carrier codes ("DHL", "UPS", "Deutsche Post", … or "Other",
 * which needs `name`).
 */
export const AmazonCarrierSchema = z
  .object({
    code: z.string().trim().min(1).max(100),
    name: z.string().trim().min(1).max(100).optional(),
    shipping_method: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .refine((c) => c.code !== "Other" || c.name !== undefined, { message: "carrier code \"Other\" needs a name" })

export type AmazonCarrier = z.infer<typeof AmazonCarrierSchema>

/**
 * Multi-Channel Fulfillment settings of an account (settings.mcf): what every MCF order of the store's own
 * orders asks Amazon for. Blank box and Block Amazon Logistics are fixed when Amazon takes the order, so they
 * are chosen per sales channel of the Medusa order.
 */
export const McfSettingsSchema = z
  .object({
    /** SHIP (default): Amazon ships at once. HOLD: Amazon reserves the units; staff release it (up to 14 days). */
    action: z.enum(["SHIP", "HOLD"]).optional(),
    /** FILL_OR_KILL (default): all or nothing. FILL_ALL: ship what is there, the rest when it arrives. FILL_ALL_AVAILABLE: ship what is there, cancel the rest. */
    policy: z.enum(["FILL_OR_KILL", "FILL_ALL", "FILL_ALL_AVAILABLE"]).optional(),
    /** Sales channels whose orders ship in unbranded packaging (no Amazon logo: "blank box"). */
    blank_box_sales_channel_ids: z.array(z.string().min(1)).max(100).optional(),
    /** Sales channels whose orders must not be delivered by Amazon Logistics. */
    block_amazon_logistics_sales_channel_ids: z.array(z.string().min(1)).max(100).optional(),
  })
  .strict()

export type McfSettings = z.infer<typeof McfSettingsSchema>

/**
 * Per-account settings (amazon_account.settings). Every key is optional; the defaults are documented
 * on each key and applied by the code that reads it.
 */
export const AccountSettingsSchema = z
  .object({
    /**
     * Merchant stock locations whose stock counts for Amazon (stocked − reserved). Default: every
     * location except the plugin's own FBA locations.
     */
    stock_location_ids: z.array(z.string()).optional(),
    /** Account-wide quantity rules (see QuantityRules). */
    rules: QuantityRulesSchema.optional(),
    /** Quantity sent for variants that do not manage inventory. Default 100. */
    unmanaged_quantity: z.number().int().min(0).optional(),
    /** Sales channel of imported Amazon orders. Default: a channel named "Amazon", created if missing. */
    sales_channel_id: z.string().optional(),
    /** Region of imported orders per marketplace id. Default: a region with the marketplace's currency. */
    region_ids: z.record(z.string(), z.string()).optional(),
    /** FBA stock location per marketplace id (created on demand, e.g. "Amazon FBA (DE)"). */
    fba_location_ids: z.record(z.string(), z.string()).optional(),
    /** Stock push tuning. */
    push: z
      .object({
        /** Patch op on fulfillment_availability: merge (default) keeps lead time / restock date. */
        op: z.enum(["merge", "replace"]).optional(),
        /** At most this many changes per run go out as patchListingsItem instead of a feed. Default 10. */
        max_patches_per_run: z.number().int().min(0).max(300).optional(),
        /** Stock at or below this is urgent (patched first). Default 0 (going out of stock). */
        urgent_at_or_below: z.number().int().min(0).optional(),
        /** A feed not finished after this many minutes is flagged as stuck. Default 120. */
        stuck_after_minutes: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    /**
     * Order import: how far back the first run of a marketplace looks (hours), i.e. which existing orders
     * a new account brings into the store. Default 24 (or AMAZON_ORDER_IMPORT_LOOKBACK_HOURS); at most
     * Amazon's 2 years. Older orders: the back-import (POST /admin/amazon/accounts/:id/order-backfill).
     */
    order_lookback_hours: z.number().int().min(1).max(17_520).optional(),
    /** Order import: overlap subtracted from the watermark (seconds). Default 300. */
    order_overlap_seconds: z.number().int().min(0).max(86_400).optional(),
    /**
     * Shipment confirmation: the Amazon carrier of a Medusa fulfillment, looked up by the fulfillment's
     * provider id (e.g. "manual_manual"), then its shipping option id, then the shipping option's name.
     * Default: carrier code "Other" with the shipping option's name (or the provider id) as carrier name.
     */
    carriers: z.record(z.string().min(1).max(200), AmazonCarrierSchema).optional(),
    /**
     * CancelReason sent when staff cancel an Amazon order in Medusa without choosing one (order metadata
     * `amazon_cancel_reason`). Default "GeneralAdjustment".
     */
    default_cancel_reason: z.enum(CANCEL_REASONS).optional(),
    /** Multi-Channel Fulfillment: how the store's own orders ship from this account's FBA stock. */
    mcf: McfSettingsSchema.optional(),
  })
  .strict()

export type AccountSettings = z.infer<typeof AccountSettingsSchema>

/** Reads settings from an account row, tolerating null; invalid stored settings fail loudly. */
export function readAccountSettings(raw: unknown): AccountSettings {
  return AccountSettingsSchema.parse(raw ?? {})
}
