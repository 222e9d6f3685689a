import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AmazonApiError } from "../../../lib/amazon/errors"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { NotificationSubscriptionState } from "../constants"

export const removeNotificationSubscriptionsStepId = "amazon-remove-notification-subscriptions"

/**
 * Deletes the account's subscriptions at Amazon (a 404 counts as deleted: removed before, or by hand). The
 * set-up is `removing` meanwhile, so its consumer stops taking messages. When Amazon refuses a deletion the
 * set-up goes back to what it was, with Amazon's reason: nothing is half removed.
 */
export const removeNotificationSubscriptionsStep = createStep(
  removeNotificationSubscriptionsStepId,
  async (input: { account_id: string }, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [setup] = await amazon.listAmazonNotificationSetups({ account_id: input.account_id }, { take: 1 })
    if (!setup || setup.status === "removed") {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, "This account has no notifications to remove")
    }
    const previousStatus = setup.status
    await amazon.updateAmazonNotificationSetups({ id: setup.id, status: "removing" })
    const subscriptions = ((setup.subscriptions ?? []) as unknown as NotificationSubscriptionState[]).map((s) => ({ ...s }))
    try {
      const api = await amazon.getSpApi(input.account_id)
      for (const s of subscriptions) {
        if (s.status !== "active" || !s.subscription_id) continue
        try {
          await api.deleteSubscriptionById(s.notification_type, s.subscription_id)
        } catch (e) {
          if (!(e instanceof AmazonApiError && e.status === 404)) throw e
        }
        s.status = "removed"
      }
    } catch (e) {
      await amazon.updateAmazonNotificationSetups({ id: setup.id, status: previousStatus, subscriptions: subscriptions as unknown as Record<string, unknown> })
      const why = e instanceof AmazonApiError ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e)
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Amazon refused to remove a subscription (${why}); notifications stay on. Try again later.`)
    }
    await amazon.updateAmazonNotificationSetups({ id: setup.id, subscriptions: subscriptions as unknown as Record<string, unknown> })
    return new StepResponse({
      setup_id: setup.id,
      destination_ids: [setup.destination_id, setup.eventbridge_destination_id].filter((d): d is string => !!d),
    })
  }
)
