import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { NOTIFICATIONS_CHANGED_EVENT } from "./constants"
import { finishNotificationRemovalStep } from "./steps/finish-notification-removal"
import { removeNotificationSubscriptionsStep } from "./steps/remove-notification-subscriptions"

export const removeAmazonNotificationsWorkflowId = "amazon-remove-notifications"

/**
 * Turns an account's notifications off: its subscriptions deleted at Amazon, its destinations too when no other
 * account uses them, the AWS secret wiped, the consumer stopped. Polling carries on as it always did.
 *
 * @example
 * await removeAmazonNotificationsWorkflow(container).run({ input: { account_id } })
 */
export const removeAmazonNotificationsWorkflow = createWorkflow(
  removeAmazonNotificationsWorkflowId,
  (input: { account_id: string }) => {
    const removed = removeNotificationSubscriptionsStep(input)
    const finished = finishNotificationRemovalStep(
      transform({ input, removed }, ({ input, removed }) => ({ account_id: input.account_id, setup_id: removed.setup_id, destination_ids: removed.destination_ids }))
    )
    emitEventStep({
      eventName: NOTIFICATIONS_CHANGED_EVENT,
      data: transform({ input, removed }, ({ input, removed }) => ({ account_id: input.account_id, setup_id: removed.setup_id })),
    })
    return new WorkflowResponse(finished)
  }
)
