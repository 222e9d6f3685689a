import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SpApi } from "../../../lib/amazon/api"
import { AmazonApiError } from "../../../lib/amazon/errors"
import { EVENTBRIDGE_ONLY_TYPES, PAYLOAD_VERSIONS, type NotificationType } from "../../../lib/amazon/notifications/parse-notification"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { type NotificationSubscriptionState, subscribedTypes } from "../constants"

export const ensureNotificationSubscriptionsStepId = "amazon-ensure-notification-subscriptions"

export interface EnsureNotificationSubscriptionsInput {
  account_id: string
  destination_id: string
  eventbridge_destination_id: string | null
}

async function currentSubscription(api: SpApi, type: NotificationType): Promise<{ subscriptionId: string; destinationId: string } | null> {
  try {
    const sub = (await api.getSubscription(type, { payloadVersion: PAYLOAD_VERSIONS[type] })).data.payload
    return sub ? { subscriptionId: sub.subscriptionId, destinationId: sub.destinationId } : null
  } catch (e) {
    if (e instanceof AmazonApiError && e.status === 404) return null
    throw e
  }
}

function reason(e: unknown): string {
  return e instanceof AmazonApiError ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e)
}

/**
 * Subscribes the seller to each type the plugin consumes, on the right destination (EventBridge-only types on
 * the EventBridge one; without it they are `skipped`, with what to do). One subscription per type and seller:
 * one that exists on this destination is kept, one on another destination is deleted and made again (the
 * merchant moved to a new queue), and a 409 after a lost answer is read back. ORDER_CHANGE is filtered to the
 * account's marketplaces and to status changes and buyer requests. A type Amazon refuses is recorded as
 * `failed` with Amazon's reason and the others go on; only ORDER_CHANGE failing fails the set-up, since new
 * orders are what notifications are for. Undone on failure: the subscriptions this step created are deleted.
 */
export const ensureNotificationSubscriptionsStep = createStep(
  ensureNotificationSubscriptionsStepId,
  async (input: EnsureNotificationSubscriptionsInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const account = await amazon.retrieveAmazonAccount(input.account_id, { select: ["id", "marketplace_ids"] })
    const api = await amazon.getSpApi(input.account_id)
    const created: { type: NotificationType; id: string }[] = []
    const states: NotificationSubscriptionState[] = []
    const wanted = subscribedTypes(Boolean(input.eventbridge_destination_id))
    for (const type of subscribedTypes(true)) {
      if (!wanted.includes(type)) {
        states.push({
          notification_type: type,
          subscription_id: null,
          destination_id: null,
          status: "skipped",
          error: "Amazon sends this type only through EventBridge: enter the AWS account of an EventBridge bus that forwards to this queue to receive it",
        })
        continue
      }
      const destinationId = EVENTBRIDGE_ONLY_TYPES.has(type) ? input.eventbridge_destination_id! : input.destination_id
      try {
        let current = await currentSubscription(api, type)
        if (current && current.destinationId !== destinationId) {
          await api.deleteSubscriptionById(type, current.subscriptionId)
          current = null
        }
        if (!current) {
          try {
            const res = await api.createSubscription(type, {
              payloadVersion: PAYLOAD_VERSIONS[type],
              destinationId,
              ...(type === "ORDER_CHANGE"
                ? {
                    processingDirective: {
                      eventFilter: {
                        eventFilterType: "ORDER_CHANGE",
                        marketplaceIds: (account.marketplace_ids ?? []) as unknown as string[],
                        orderChangeTypes: ["OrderStatusChange", "BuyerRequestedChange"],
                      },
                    },
                  }
                : {}),
            })
            const sub = res.data.payload
            if (sub) {
              current = { subscriptionId: sub.subscriptionId, destinationId: sub.destinationId }
              created.push({ type, id: sub.subscriptionId })
            }
          } catch (e) {
            if (!(e instanceof AmazonApiError && e.status === 409)) throw e
            current = await currentSubscription(api, type)
          }
        }
        if (!current) throw new Error("Amazon did not return the subscription")
        states.push({ notification_type: type, subscription_id: current.subscriptionId, destination_id: current.destinationId, status: "active", error: null })
      } catch (e) {
        if (type === "ORDER_CHANGE") {
          for (const c of created) await api.deleteSubscriptionById(c.type, c.id).catch(() => undefined)
          throw new MedusaError(MedusaError.Types.INVALID_DATA, `Amazon refused the ORDER_CHANGE subscription: ${reason(e)}. Check that the app has the role the Orders API needs.`)
        }
        states.push({ notification_type: type, subscription_id: null, destination_id: destinationId, status: "failed", error: `Amazon refused: ${reason(e)}` })
      }
    }
    return new StepResponse({ subscriptions: states }, { account_id: input.account_id, created })
  },
  async (undo, { container }) => {
    if (!undo?.created.length) return
    const api = await container.resolve<AmazonModuleService>(AMAZON_MODULE).getSpApi(undo.account_id)
    for (const c of undo.created) {
      await api.deleteSubscriptionById(c.type, c.id).catch(() => undefined)
    }
  }
)
