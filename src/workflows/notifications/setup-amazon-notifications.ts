import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { NOTIFICATIONS_CHANGED_EVENT } from "./constants"
import { ensureNotificationDestinationsStep } from "./steps/ensure-notification-destinations"
import { ensureNotificationSubscriptionsStep } from "./steps/ensure-notification-subscriptions"
import { finishNotificationSetupStep } from "./steps/finish-notification-setup"
import { recordNotificationSetupStep, type RecordNotificationSetupInput } from "./steps/record-notification-setup"
import { verifyNotificationQueueStep } from "./steps/verify-notification-queue"

export const setupAmazonNotificationsWorkflowId = "amazon-setup-notifications"

export type SetupAmazonNotificationsWorkflowInput = RecordNotificationSetupInput

/**
 * Turns Amazon notifications on for an account: records the queue and AWS key (encrypted), proves the key reads
 * the queue, finds or creates the destination (grantless) and the subscriptions, and tells the consumers. Each
 * step that changes something at Amazon undoes it when a later one fails, so a failed set-up leaves nothing
 * behind. Polling is untouched either way.
 *
 * @example
 * const { result } = await setupAmazonNotificationsWorkflow(container).run({
 *   input: { account_id, queue_url, aws_region: "eu-west-1", aws_access_key_id, aws_secret_access_key },
 * })
 */
export const setupAmazonNotificationsWorkflow = createWorkflow(
  setupAmazonNotificationsWorkflowId,
  (input: SetupAmazonNotificationsWorkflowInput) => {
    const recorded = recordNotificationSetupStep(input)
    verifyNotificationQueueStep(transform({ recorded }, ({ recorded }) => ({ setup_id: recorded.setup_id, queue_arn: recorded.queue.arn })))
    const destinations = ensureNotificationDestinationsStep(
      transform({ recorded }, ({ recorded }) => ({
        account_id: recorded.account_id,
        queue: recorded.queue,
        eventbridge_account_id: recorded.eventbridge_account_id,
      }))
    )
    const subscribed = ensureNotificationSubscriptionsStep(
      transform({ recorded, destinations }, ({ recorded, destinations }) => ({
        account_id: recorded.account_id,
        destination_id: destinations.destination_id,
        eventbridge_destination_id: destinations.eventbridge_destination_id,
      }))
    )
    const finished = finishNotificationSetupStep(
      transform({ recorded, destinations, subscribed }, ({ recorded, destinations, subscribed }) => ({
        setup_id: recorded.setup_id,
        account_id: recorded.account_id,
        destination_id: destinations.destination_id,
        eventbridge_destination_id: destinations.eventbridge_destination_id,
        subscriptions: subscribed.subscriptions,
      }))
    )
    emitEventStep({
      eventName: NOTIFICATIONS_CHANGED_EVENT,
      data: transform({ recorded }, ({ recorded }) => ({ account_id: recorded.account_id, setup_id: recorded.setup_id })),
    })
    return new WorkflowResponse(finished)
  }
)
