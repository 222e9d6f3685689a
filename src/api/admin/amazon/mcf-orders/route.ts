import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AMAZON_MODULE } from "../../../../modules/amazon"
import type AmazonModuleService from "../../../../modules/amazon/service"
import type { AdminAmazonMcfOrder, AdminAmazonMcfOrdersResponse, WithDates } from "../../../../types/http"
import type { AdminGetAmazonMcfOrdersParamsType } from "./validators"

const FIELDS = [
  "id",
  "account_id",
  "marketplace_id",
  "mcf_order_id",
  "fulfillment_id",
  "order_id",
  "status",
  "amazon_status",
  "action",
  "policy",
  "service_tier",
  "lines",
  "packages",
  "shipped_at",
  "delivered_at",
  "cancelled_at",
  "cancelled_by",
  "last_error",
  "last_checked_at",
  "calls",
  "created_at",
] as const

/** The store's orders shipped by Amazon (MCF), newest first, with their state, packages and tracking. No addresses. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonMcfOrdersParamsType>,
  res: MedusaResponse<WithDates<AdminAmazonMcfOrdersResponse>>
) => {
  const { account_id, order_id, status, limit, offset } = req.validatedQuery as AdminGetAmazonMcfOrdersParamsType
  const [rows, count] = await req.scope.resolve<AmazonModuleService>(AMAZON_MODULE).listAndCountAmazonMcfOrders(
    { ...(account_id ? { account_id } : {}), ...(order_id ? { order_id } : {}), ...(status ? { status } : {}) },
    { select: [...FIELDS], order: { created_at: "DESC" }, take: limit, skip: offset }
  )
  res.json({ mcf_orders: rows as unknown as AdminAmazonMcfOrder[], count, offset, limit } as unknown as WithDates<AdminAmazonMcfOrdersResponse>)
}
