import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SpApi } from "../../../lib/amazon/api"
import { AmazonApiError } from "../../../lib/amazon/errors"
import { NOTIFICATIONS_SCOPE } from "../../../lib/amazon/lwa"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { toMedusaError } from "../../../modules/amazon/utils/to-medusa-error"
import { DESTINATION_NAME_PREFIX } from "../constants"

export const ensureNotificationDestinationsStepId = "amazon-ensure-notification-destinations"

export interface EnsureNotificationDestinationsInput {
  account_id: string
  queue: { arn: string; region: string; name: string }
  eventbridge_account_id: string | null
}

type Destination = { destinationId: string; resource?: { sqs?: { arn?: string }; eventBridge?: { accountId?: string; region?: string } } }

async function listDestinations(api: SpApi): Promise<Destination[]> {
  return ((await api.getDestinations()).data.payload ?? []) as Destination[]
}

/**
 * Finds or creates, with grantless calls, the Notifications API destination of the queue (and of the EventBridge
 * account, when given). Destinations belong to the application, not the seller: one that exists already (made
 * by another account of this store, or by an earlier set-up) is used as it is. createDestination is not
 * idempotent (a second one answers 409), so the list is read first and read again after a conflict. Undone on
 * failure: only the destinations this step created are deleted.
 */
export const ensureNotificationDestinationsStep = createStep(
  ensureNotificationDestinationsStepId,
  async (input: EnsureNotificationDestinationsInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const created: string[] = []
    try {
      const api = await amazon.getGrantlessSpApi(input.account_id, NOTIFICATIONS_SCOPE)
      const ensure = async (match: (d: Destination) => boolean, create: () => Promise<string | undefined>): Promise<string> => {
        const found = (await listDestinations(api)).find(match)
        if (found) return found.destinationId
        try {
          const id = await create()
          if (id) {
            created.push(id)
            return id
          }
        } catch (e) {
          if (!(e instanceof AmazonApiError && e.status === 409)) throw e
        }
        const again = (await listDestinations(api)).find(match)
        if (!again) {
          throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Amazon reported the destination as existing but does not list it; try again in a minute")
        }
        return again.destinationId
      }
      const destination_id = await ensure(
        (d) => d.resource?.sqs?.arn === input.queue.arn,
        async () =>
          (await api.createDestination({ name: `${DESTINATION_NAME_PREFIX} ${input.queue.name}`.slice(0, 256), resourceSpecification: { sqs: { arn: input.queue.arn } } })).data
            .payload?.destinationId
      )
      const eventbridge_destination_id = input.eventbridge_account_id
        ? await ensure(
            (d) => d.resource?.eventBridge?.accountId === input.eventbridge_account_id && d.resource?.eventBridge?.region === input.queue.region,
            async () =>
              (
                await api.createDestination({
                  name: `${DESTINATION_NAME_PREFIX} EventBridge ${input.eventbridge_account_id}`,
                  resourceSpecification: { eventBridge: { accountId: input.eventbridge_account_id!, region: input.queue.region } },
                })
              ).data.payload?.destinationId
          )
        : null
      return new StepResponse({ destination_id, eventbridge_destination_id }, { account_id: input.account_id, created })
    } catch (e) {
      // what this step created before failing goes again (the compensation of a failed step does not run)
      await deleteDestinations(amazon, input.account_id, created)
      throw toMedusaError(e)
    }
  },
  async (undo, { container }) => {
    if (!undo?.created.length) return
    await deleteDestinations(container.resolve<AmazonModuleService>(AMAZON_MODULE), undo.account_id, undo.created)
  }
)

async function deleteDestinations(amazon: AmazonModuleService, accountId: string, ids: string[]): Promise<void> {
  if (!ids.length) return
  const api = await amazon.getGrantlessSpApi(accountId, NOTIFICATIONS_SCOPE)
  for (const id of ids) {
    await api.deleteDestination(id).catch(() => undefined)
  }
}
