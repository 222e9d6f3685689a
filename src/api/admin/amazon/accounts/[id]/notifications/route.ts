import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../../../../../../modules/amazon"
import type AmazonModuleService from "../../../../../../modules/amazon/service"
import type { AdminAmazonNotificationSetupResponse } from "../../../../../../types/http"
import { removeAmazonNotificationsWorkflow } from "../../../../../../workflows/notifications/remove-amazon-notifications"
import { setupAmazonNotificationsWorkflow } from "../../../../../../workflows/notifications/setup-amazon-notifications"
import { accountNotificationView } from "../../../../../../workflows/notifications/utils/notification-view"
import type { AdminSetupAmazonNotificationsType } from "../../validators"

async function assertAccount(req: AuthenticatedMedusaRequest): Promise<void> {
  const [account] = await req.scope.resolve<AmazonModuleService>(AMAZON_MODULE).listAmazonAccounts({ id: req.params.id }, { select: ["id"], take: 1 })
  if (!account) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account ${req.params.id} was not found`)
  }
}

/** The account's notifications: queue, subscriptions, health and counts (null when never set up). */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonNotificationSetupResponse>) => {
  await assertAccount(req)
  res.json({ notifications: await accountNotificationView(req.scope, req.params.id) })
}

/**
 * Turns notifications on (or moves them to another queue): waits for Amazon and SQS, like "test connection",
 * because what the merchant asked for is whether it worked. A refused queue, key or subscription is a 4xx
 * that says which, with nothing left half set up.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSetupAmazonNotificationsType>, res: MedusaResponse<AdminAmazonNotificationSetupResponse>) => {
  await assertAccount(req)
  await setupAmazonNotificationsWorkflow(req.scope).run({
    input: { account_id: req.params.id, ...req.validatedBody, requested_by: req.auth_context?.actor_id ?? null },
  })
  res.json({ notifications: await accountNotificationView(req.scope, req.params.id) })
}

/** Turns notifications off: subscriptions and (unused) destinations deleted at Amazon, the AWS secret wiped. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonNotificationSetupResponse>) => {
  await assertAccount(req)
  await removeAmazonNotificationsWorkflow(req.scope).run({ input: { account_id: req.params.id } })
  res.json({ notifications: await accountNotificationView(req.scope, req.params.id) })
}
