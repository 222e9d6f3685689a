import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AmazonApiError } from "../../../lib/amazon/errors"
import { NOTIFICATIONS_SCOPE } from "../../../lib/amazon/lwa"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { NOTIFICATIONS_STREAM } from "../constants"

export const finishNotificationRemovalStepId = "amazon-finish-notification-removal"

/**
 * Deletes the destinations no other set-up of this store still uses (destinations belong to the application,
 * which other accounts may share), wipes the AWS secret and marks the set-up removed. A destination Amazon will
 * not delete is left with a warning: it costs nothing without subscriptions.
 */
export const finishNotificationRemovalStep = createStep(
  finishNotificationRemovalStepId,
  async (input: { account_id: string; setup_id: string; destination_ids: string[] }, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const others = await amazon.listAmazonNotificationSetups(
      { id: { $ne: input.setup_id }, status: { $ne: "removed" } },
      { select: ["destination_id", "eventbridge_destination_id"] }
    )
    const inUse = new Set(others.flatMap((o) => [o.destination_id, o.eventbridge_destination_id]).filter(Boolean))
    const kept: string[] = []
    const api = await amazon.getGrantlessSpApi(input.account_id, NOTIFICATIONS_SCOPE)
    for (const id of input.destination_ids) {
      if (inUse.has(id)) continue
      try {
        await api.deleteDestination(id)
      } catch (e) {
        if (!(e instanceof AmazonApiError && e.status === 404)) kept.push(`${id} (${e instanceof AmazonApiError ? e.code : "error"})`)
      }
    }
    await amazon.updateAmazonNotificationSetups({ id: input.setup_id, status: "removed", aws_secret_access_key_encrypted: null, last_error: null, last_error_at: null })
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: NOTIFICATIONS_STREAM,
      level: kept.length ? "warn" : "info",
      code: "NOTIFICATIONS_OFF",
      message: kept.length
        ? `Notifications are off. Amazon kept the destination ${kept.join(", ")}; it receives nothing without subscriptions.`
        : "Notifications are off; orders, FBA stock and feed results are polled as before.",
      context: { setup_id: input.setup_id },
    })
    return new StepResponse({ setup_id: input.setup_id, kept_destinations: kept })
  }
)
