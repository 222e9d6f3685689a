import { createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { boundedFindParams } from "../utils/find-params"
import { z } from "@medusajs/framework/zod"
import { QuantityRulesSchema } from "../../../../types/account-settings"

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1))])
const booleanParam = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean())

export const AdminGetAmazonListingsParams = boundedFindParams({ limit: 50, offset: 0 }).merge(
  z
    .object({
      account_id: stringOrList.optional(),
      marketplace_id: stringOrList.optional(),
      fulfillment_channel: z.enum(["MERCHANT", "AMAZON"]).optional(),
      push_status: z.union([z.enum(["idle", "pending", "accepted", "error"]), z.array(z.enum(["idle", "pending", "accepted", "error"]))]).optional(),
      /** Part of the seller SKU or ASIN (case-insensitive). */
      q: z.string().trim().min(1).max(200).optional(),
      /** true = mapped to a variant, false = not mapped yet. */
      linked: booleanParam.optional(),
      /** Listings mapped to this variant (the variant page widget). */
      variant_id: z.string().min(1).optional(),
    })
    .strict()
)

export type AdminGetAmazonListingsParamsType = z.infer<typeof AdminGetAmazonListingsParams>

export const AdminGetAmazonListingParams = createSelectParams()

/** The SKU's complete quantity rules, replacing the stored ones; null removes them (the account's rules apply). */
export const AdminUpdateAmazonListing = z
  .object({
    rules: QuantityRulesSchema.nullable(),
  })
  .strict()

export type AdminUpdateAmazonListingType = z.infer<typeof AdminUpdateAmazonListing>

export const AdminLinkAmazonListing = z.object({ variant_id: z.string().trim().min(1) }).strict()

export type AdminLinkAmazonListingType = z.infer<typeof AdminLinkAmazonListing>

export const AdminAutoLinkAmazonListings = z
  .object({
    account_id: z.string().min(1).optional(),
    marketplace_id: z.string().min(1).optional(),
  })
  .strict()

export type AdminAutoLinkAmazonListingsType = z.infer<typeof AdminAutoLinkAmazonListings>

export const AdminImportAmazonListings = z.object({ account_id: z.string().min(1).optional() }).strict()

export type AdminImportAmazonListingsType = z.infer<typeof AdminImportAmazonListings>
