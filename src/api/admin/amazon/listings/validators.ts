import { createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { boundedFindParams } from "../utils/find-params"
import { z } from "@medusajs/framework/zod"
import { MAPPING_IMPORT_MAX_CHARS } from "../../../../lib/mapping/mapping-file"
import { QuantityRulesSchema } from "../../../../types/account-settings"
import { AMAZON_LISTING_SORT_FIELDS } from "../../../../types/http/listings"

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1))])
const booleanParam = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean())

/** `field` or `-field` (descending) of the allow-list; anything else is a 400 naming the allowed values. */
const listingOrder = z.enum([...AMAZON_LISTING_SORT_FIELDS, ...AMAZON_LISTING_SORT_FIELDS.map((f) => `-${f}` as const)] as [string, ...string[]])

export const AdminGetAmazonListingsParams = boundedFindParams({ limit: 50, offset: 0 }).merge(
  z
    .object({
      order: listingOrder.optional(),
      /** These listings only (the bulk link drawer reads the selected rows). */
      id: z.union([z.string().min(1), z.array(z.string().min(1)).max(500)]).optional(),
      account_id: stringOrList.optional(),
      marketplace_id: stringOrList.optional(),
      fulfillment_channel: z.enum(["MERCHANT", "AMAZON"]).optional(),
      push_status: z.union([z.enum(["idle", "pending", "accepted", "error"]), z.array(z.enum(["idle", "pending", "accepted", "error"]))]).optional(),
      /** Part of the seller SKU, ASIN or Amazon item name (case-insensitive). */
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

/** Changes per batch request: one workflow, one transaction of link rows, well inside a request's time. */
export const BATCH_MAX = 500

/**
 * POST /admin/amazon/listings/batch. Ids are checked by the workflow (unknown or repeated ids are a 400
 * naming each listing, nothing written).
 */
export const AdminBatchAmazonListings = z
  .object({
    link: z
      .array(z.object({ listing_id: z.string().trim().min(1), variant_id: z.string().trim().min(1) }).strict())
      .max(BATCH_MAX)
      .optional()
      .default([]),
    unlink: z.array(z.string().trim().min(1)).max(BATCH_MAX).optional().default([]),
  })
  .strict()
  .superRefine((body, ctx) => {
    const total = body.link.length + body.unlink.length
    if (total === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Send at least one listing to link or unlink." })
    }
    if (total > BATCH_MAX) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `At most ${BATCH_MAX} changes per request (got ${total}); send several requests.` })
    }
  })

export type AdminBatchAmazonListingsType = z.infer<typeof AdminBatchAmazonListings>
/** What a client sends (link and unlink may be left out). */
export type AdminBatchAmazonListingsInput = z.input<typeof AdminBatchAmazonListings>

/** GET /admin/amazon/listings/:id/suggestions */
export const AdminGetAmazonListingSuggestionsParams = z.object({}).strict()

/** Listings per GET /admin/amazon/listings/suggestions: each runs one select over the variants. */
export const SUGGESTIONS_BATCH_MAX = 50

/** GET /admin/amazon/listings/suggestions?id=…&id=… */
export const AdminGetAmazonListingsSuggestionsParams = z
  .object({
    id: z.union([z.string().min(1).transform((v) => [v]), z.array(z.string().min(1)).min(1).max(SUGGESTIONS_BATCH_MAX)]),
  })
  .strict()

export type AdminGetAmazonListingsSuggestionsParamsType = z.infer<typeof AdminGetAmazonListingsSuggestionsParams>

/** GET /admin/amazon/listings/mapping/export: one account's listings (default: all accounts). */
export const AdminExportAmazonListingMappingParams = z
  .object({
    account_id: z.string().min(1).optional(),
    marketplace_id: stringOrList.optional(),
  })
  .strict()

export type AdminExportAmazonListingMappingParamsType = z.infer<typeof AdminExportAmazonListingMappingParams>

/**
 * POST /admin/amazon/listings/mapping/import. The file travels as a JSON string: the admin API takes JSON
 * bodies only. dry_run = preview only.
 */
export const AdminImportAmazonListingMapping = z
  .object({
    // custom issues: Medusa's error formatter replaces the message of a min/max issue with a generic one
    csv: z.string().superRefine((csv, ctx) => {
      if (!csv.trim()) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "The file is empty." })
      if (csv.length > MAPPING_IMPORT_MAX_CHARS) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `The file is larger than ${MAPPING_IMPORT_MAX_CHARS / 1024 / 1024} MB; split it into smaller files.` })
      }
    }),
    dry_run: z.boolean(),
  })
  .strict()

export type AdminImportAmazonListingMappingType = z.infer<typeof AdminImportAmazonListingMapping>
