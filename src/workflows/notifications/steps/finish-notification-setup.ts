import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { NOTIFICATIONS_STREAM, type NotificationSubscriptionState } from "../constants"

export const finishNotificationSetupStepId = "amazon-finish-notification-setup"

export interface FinishNotificationSetupInput {
  setup_id: string
  account_id: string
  destination_id: string
  eventbridge_destination_id: string | null
  subscriptions: NotificationSubscriptionState[]
}

/**
 * The set-up is active: destinations and subscriptions recorded on the row, and a line in the sync log (a
 * warning naming the types Amazon refused, so it shows among the problems to act on).
 */
export const finishNotificationSetupStep = createStep(
  finishNotificationSetupStepId,
  async (input: FinishNotificationSetupInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const failed = input.subscriptions.filter((s) => s.status === "failed")
    const active = input.subscriptions.filter((s) => s.status === "active")
    const problem = failed.length ? failed.map((s) => `${s.notification_type}: ${s.error}`).join("; ") : null
    await amazon.updateAmazonNotificationSetups({
      id: input.setup_id,
      status: "active",
      destination_id: input.destination_id,
      eventbridge_destination_id: input.eventbridge_destination_id,
      subscriptions: input.subscriptions as unknown as Record<string, unknown>,
      last_error: problem,
      last_error_at: problem ? new Date() : null,
    })
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: NOTIFICATIONS_STREAM,
      level: failed.length ? "warn" : "info",
      code: failed.length ? "NOTIFICATIONS_PARTIAL" : "NOTIFICATIONS_ON",
      message: failed.length
        ? `Notifications are on for ${active.map((s) => s.notification_type).join(", ")}, but Amazon refused ${problem}. Polling covers the rest.`
        : `Notifications are on: ${active.map((s) => s.notification_type).join(", ")}. Polling goes on as the safety net.`,
      context: { setup_id: input.setup_id },
    })
    return new StepResponse({ setup_id: input.setup_id })
  }
)
