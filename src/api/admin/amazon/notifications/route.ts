import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AMAZON_MODULE } from "../../../../modules/amazon"
import type AmazonModuleService from "../../../../modules/amazon/service"
import type { AdminAmazonNotification, AdminAmazonNotificationsResponse, WithDates } from "../../../../types/http"
import type { AdminGetAmazonNotificationsParamsType } from "./validators"

/** Fields of the list: never the payload (an ORDER_CHANGE carries the buyer's postal code). */
const FIELDS = [
  "id",
  "account_id",
  "notification_type",
  "subject",
  "event_time",
  "status",
  "outcome",
  "error",
  "attempts",
  "deliveries",
  "received_at",
  "applied_at",
] as const

/** The notifications received, newest first: what each did, or why it could not be used (invalid ones are kept). */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetAmazonNotificationsParamsType>,
  res: MedusaResponse<WithDates<AdminAmazonNotificationsResponse>>
) => {
  const { account_id, status, notification_type, subject, limit, offset } = req.validatedQuery as AdminGetAmazonNotificationsParamsType
  const [rows, count] = await req.scope.resolve<AmazonModuleService>(AMAZON_MODULE).listAndCountAmazonNotifications(
    {
      ...(account_id ? { account_id } : {}),
      ...(status ? { status } : {}),
      ...(notification_type ? { notification_type } : {}),
      ...(subject ? { subject } : {}),
    },
    { select: [...FIELDS], order: { received_at: "DESC" }, take: limit, skip: offset }
  )
  res.json({ notifications: rows as unknown as AdminAmazonNotification[], count, offset, limit } as unknown as WithDates<AdminAmazonNotificationsResponse>)
}
