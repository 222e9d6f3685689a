import { createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { boundedFindParams } from "../utils/find-params"
import { z } from "@medusajs/framework/zod"
import { MARKETPLACES, AMAZON_REGIONS } from "../../../../lib/amazon/endpoints"
import { AccountSettingsSchema } from "../../../../types/account-settings"

export const AdminGetAmazonAccountsParams = boundedFindParams({ limit: 50, offset: 0 })
  .merge(
    z
      .object({
        enabled: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()).optional(),
        region: z.enum(AMAZON_REGIONS).optional(),
      })
      .strict()
  )

export type AdminGetAmazonAccountsParamsType = z.infer<typeof AdminGetAmazonAccountsParams>

export const AdminGetAmazonAccountParams = createSelectParams()

/**
 * A secret is checked without ever echoing it: zod's own type errors quote the received value, and
 * Medusa logs 4xx messages, so a mistyped secret would end up in a log line.
 */
const secret = (field: string) =>
  z.custom<string>((v) => typeof v === "string" && v.trim().length > 0 && v.length <= 4096, {
    message: `Field '${field}' must be a non-empty string of at most 4096 characters`,
  })

const marketplaceIds = z
  .array(z.string())
  .min(1)
  .superRefine((ids, ctx) => {
    const unknown = ids.filter((id) => !(id in MARKETPLACES))
    if (unknown.length) {
      ctx.addIssue({ code: "custom", message: `Field 'marketplace_ids' has unknown Amazon marketplace id(s): ${unknown.join(", ")}` })
    }
  })

/**
 * Only the shape is checked here; whether the origin may be used at all is the store's configuration
 * (AmazonModuleService.assertEndpointsAllowed, 400 naming the option), never this input.
 */
const httpUrl = (field: string) =>
  z
    .string()
    .max(2048)
    .refine((u) => /^https?:\/\/[^\s/]+/.test(u) && URL.canParse(u), { message: `Field '${field}' must be an http(s) URL` })

/** The fields that decide where the credentials are sent. */
export const ENDPOINT_FIELDS = ["sp_api_base_url", "lwa_token_url", "sandbox"] as const

/**
 * Account settings the admin edits. A key set to null returns to its default. fba_location_ids is kept
 * out: the FBA sync owns it.
 */
export const AdminAmazonAccountSettings = AccountSettingsSchema.omit({ fba_location_ids: true })
  .extend({
    stock_location_ids: AccountSettingsSchema.shape.stock_location_ids.unwrap().nullable().optional(),
    rules: AccountSettingsSchema.shape.rules.unwrap().nullable().optional(),
    unmanaged_quantity: AccountSettingsSchema.shape.unmanaged_quantity.unwrap().nullable().optional(),
    sales_channel_id: AccountSettingsSchema.shape.sales_channel_id.unwrap().nullable().optional(),
    region_ids: AccountSettingsSchema.shape.region_ids.unwrap().nullable().optional(),
    push: AccountSettingsSchema.shape.push.unwrap().nullable().optional(),
    order_overlap_seconds: AccountSettingsSchema.shape.order_overlap_seconds.unwrap().nullable().optional(),
    order_lookback_hours: AccountSettingsSchema.shape.order_lookback_hours.unwrap().nullable().optional(),
    carriers: AccountSettingsSchema.shape.carriers.unwrap().nullable().optional(),
    default_cancel_reason: AccountSettingsSchema.shape.default_cancel_reason.unwrap().nullable().optional(),
    mcf: AccountSettingsSchema.shape.mcf.unwrap().nullable().optional(),
  })
  .strict()

export const AdminCreateAmazonAccount = z
  .object({
    name: z.string().trim().min(1).max(200),
    region: z.enum(AMAZON_REGIONS),
    seller_id: z.string().trim().min(1).max(100),
    marketplace_ids: marketplaceIds,
    lwa_client_id: z.string().trim().min(1).max(500),
    lwa_client_secret: secret("lwa_client_secret"),
    refresh_token: secret("refresh_token"),
    sandbox: z.boolean().optional(),
    sp_api_base_url: httpUrl("sp_api_base_url").nullable().optional(),
    lwa_token_url: httpUrl("lwa_token_url").nullable().optional(),
    enabled: z.boolean().optional(),
    settings: AdminAmazonAccountSettings.optional(),
    /** Apply a settings change even though it sets most stocked listings (or all) to 0 on Amazon. */
    confirm_zero_stock: z.boolean().optional(),
  })
  .strict()

export type AdminCreateAmazonAccountType = z.infer<typeof AdminCreateAmazonAccount>

export const AdminUpdateAmazonAccount = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    region: z.enum(AMAZON_REGIONS).optional(),
    seller_id: z.string().trim().min(1).max(100).optional(),
    marketplace_ids: marketplaceIds.optional(),
    lwa_client_id: z.string().trim().min(1).max(500).optional(),
    /** Omitted = keep the stored secret. */
    lwa_client_secret: secret("lwa_client_secret").optional(),
    refresh_token: secret("refresh_token").optional(),
    sandbox: z.boolean().optional(),
    sp_api_base_url: httpUrl("sp_api_base_url").nullable().optional(),
    lwa_token_url: httpUrl("lwa_token_url").nullable().optional(),
    enabled: z.boolean().optional(),
    settings: AdminAmazonAccountSettings.optional(),
    /** Apply a settings change even though it sets most stocked listings (or all) to 0 on Amazon. */
    confirm_zero_stock: z.boolean().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    // Where the secrets go may change only together with the secrets themselves: whoever redirects them
    // must already know them, so a stolen admin session (or a forged request) cannot read them out.
    const moved = ENDPOINT_FIELDS.filter((f) => body[f] !== undefined)
    if (moved.length && (body.lwa_client_secret === undefined || body.refresh_token === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: `Changing ${moved.join(", ")} requires re-entering lwa_client_secret and refresh_token`,
      })
    }
  })

export type AdminUpdateAmazonAccountType = z.infer<typeof AdminUpdateAmazonAccount>

export const AdminTestAmazonConnection = z.object({}).strict()

/**
 * POST /admin/amazon/accounts/:id/order-backfill: import older orders created from `created_after` (a date,
 * YYYY-MM-DD, or an ISO date-time; within Amazon's 2 years) until now. `marketplace_ids`: default every
 * marketplace of the account. `replace`: a back-import still running for one of them is replaced by this
 * one (otherwise 409).
 */
export const AdminRequestAmazonOrderBackfill = z
  .object({
    created_after: z.string().min(10).max(40),
    marketplace_ids: z.array(z.string().min(1).max(40)).min(1).max(30).optional(),
    replace: z.boolean().optional(),
  })
  .strict()
export type AdminRequestAmazonOrderBackfillType = z.infer<typeof AdminRequestAmazonOrderBackfill>

/** POST /admin/amazon/accounts/:id/notifications: the merchant's SQS queue and the AWS key that reads it. */
export const AdminSetupAmazonNotifications = z
  .object({
    queue_url: z.string().trim().url().max(500),
    aws_region: z.string().trim().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as eu-west-1"),
    aws_access_key_id: z.string().trim().regex(/^[A-Z0-9]{16,128}$/, "must be an AWS access key id (AKIA…)"),
    aws_secret_access_key: z.string().min(16).max(256),
    eventbridge_account_id: z.string().trim().regex(/^\d{12}$/, "must be a 12-digit AWS account id").nullish(),
  })
  .strict()
export type AdminSetupAmazonNotificationsType = z.infer<typeof AdminSetupAmazonNotifications>

/** POST /admin/amazon/accounts/:id/mcf: ship the store's own orders from this account's FBA stock (MCF). */
export const AdminOfferAmazonMcfShipping = z
  .object({
    marketplace_id: z.string().trim().min(1).max(40),
    countries: z.array(z.string().trim().regex(/^[a-zA-Z]{2}$/, "must be a 2-letter country code")).max(60).optional(),
    sales_channel_ids: z.array(z.string().trim().min(1).max(100)).min(1).max(20),
    prices: z
      .array(
        z
          .object({
            service_tier: z.enum(["STANDARD", "EXPEDITED", "PRIORITY"]),
            currency_code: z.string().trim().regex(/^[a-zA-Z]{3}$/),
            amount: z.number().min(0).max(100_000),
          })
          .strict()
      )
      .min(1)
      .max(30),
    shipping_profile_id: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
export type AdminOfferAmazonMcfShippingType = z.infer<typeof AdminOfferAmazonMcfShipping>
