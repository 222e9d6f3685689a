import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const recordNotificationSetupStepId = "amazon-record-notification-setup"

export interface RecordNotificationSetupInput {
  account_id: string
  queue_url: string
  aws_region: string
  aws_access_key_id: string
  aws_secret_access_key: string
  eventbridge_account_id?: string | null
  requested_by?: string | null
}

/** A set-up being changed is left alone for this long (two admins pressing at once; a crashed run frees it after). */
const IN_PROGRESS_MS = 2 * 60_000

type Previous = Record<string, unknown> | null

/**
 * Records what the merchant entered (status setting_up), the AWS secret encrypted and bound to the row, after
 * checking the queue URL against the store's endpoint policy. One row per account: a new set-up replaces the
 * old one (which keeps its destination and subscriptions until they are re-pointed). Undone on failure: the
 * row goes back to what it was, or away.
 */
export const recordNotificationSetupStep = createStep(
  recordNotificationSetupStepId,
  async (input: RecordNotificationSetupInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { take: 1, select: ["id", "enabled", "seller_id"] })
    if (!account) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.account_id} was not found`)
    }
    const queue = amazon.resolveNotificationQueue(input.queue_url, input.aws_region)
    const [existing] = await amazon.listAmazonNotificationSetups({ account_id: input.account_id }, { take: 1 })
    if (existing && ["setting_up", "removing"].includes(existing.status) && Date.now() - new Date(existing.updated_at).getTime() < IN_PROGRESS_MS) {
      throw new MedusaError(MedusaError.Types.CONFLICT, "Notifications of this account are being changed right now; wait for that to finish")
    }
    const id = existing?.id ?? generateEntityId(undefined, "amzntf")
    const fields = {
      status: "setting_up" as const,
      queue_url: queue.url,
      queue_arn: queue.arn,
      aws_region: queue.region,
      aws_access_key_id: input.aws_access_key_id,
      aws_secret_access_key_encrypted: amazon.sealAwsSecret(input.aws_secret_access_key, id),
      eventbridge_account_id: input.eventbridge_account_id ?? null,
      last_error: null,
      last_error_at: null,
      requested_by: input.requested_by ?? null,
    }
    let previous: Previous = null
    if (existing) {
      previous = Object.fromEntries(Object.keys(fields).map((k) => [k, (existing as Record<string, unknown>)[k]]))
      await amazon.updateAmazonNotificationSetups({ id, ...fields })
    } else {
      await amazon.createAmazonNotificationSetups({ id, account_id: input.account_id, ...fields })
    }
    return new StepResponse(
      {
        setup_id: id,
        account_id: input.account_id,
        queue: { url: queue.url, arn: queue.arn, region: queue.region, name: queue.name },
        eventbridge_account_id: input.eventbridge_account_id ?? null,
        previous_destination_id: existing?.destination_id ?? null,
      },
      { id, previous }
    )
  },
  async (undo, { container }) => {
    if (!undo) return
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    if (undo.previous) {
      await amazon.updateAmazonNotificationSetups({ id: undo.id, ...undo.previous })
    } else {
      await amazon.deleteAmazonNotificationSetups(undo.id)
    }
  }
)
