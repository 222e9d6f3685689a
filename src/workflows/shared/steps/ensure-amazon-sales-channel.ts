import type { ISalesChannelModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, createSalesChannelsWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"
import { randomUUID } from "node:crypto"

/** Name of the sales channel FBA locations are linked to (also the default channel of imported orders). */
export const AMAZON_SALES_CHANNEL_NAME = "Amazon"

export const ensureAmazonSalesChannelWorkflowId = "amazon-ensure-sales-channel"

export interface EnsureAmazonSalesChannelStepInput {
  /** settings.sales_channel_id of the account: when set, that channel is used (and must exist). */
  sales_channel_id?: string | null
}

export interface EnsureAmazonSalesChannelStepOutput {
  id: string
  name: string
  /** True when this call created the "Amazon" channel. */
  created: boolean
}

/** One find-or-create of the "Amazon" channel at a time, across instances. */
const SALES_CHANNEL_LOCK_KEY = "amazon:ensure-sales-channel"

type FoundSalesChannel = { channel: { id: string; name: string } | null; lock_keys: string[]; owner_id: string }

/**
 * The configured channel (which must exist), or else the oldest channel named "Amazon" (null when none).
 * `under_lock` is the second look, taken once the lock is held; the first one lets the usual case (the
 * channel exists) go without the lock.
 */
const findAmazonSalesChannelStep = createStep(
  "amazon-find-sales-channel",
  async (input: EnsureAmazonSalesChannelStepInput & { under_lock?: boolean; skip?: boolean }, { container }) => {
    const owner_id = `amazon:${randomUUID()}`
    if (input.skip) {
      return new StepResponse<FoundSalesChannel>({ channel: null, lock_keys: [], owner_id })
    }
    const salesChannels = container.resolve<ISalesChannelModuleService>(Modules.SALES_CHANNEL)
    if (input.sales_channel_id) {
      const [configured] = await salesChannels.listSalesChannels({ id: input.sales_channel_id }, { take: 1 })
      if (!configured) {
        throw new MedusaError(
          MedusaError.Types.NOT_FOUND,
          `settings.sales_channel_id points to sales channel ${input.sales_channel_id}, which does not exist`
        )
      }
      return new StepResponse<FoundSalesChannel>({ channel: { id: configured.id, name: configured.name }, lock_keys: [], owner_id })
    }
    const [existing] = await salesChannels.listSalesChannels({ name: AMAZON_SALES_CHANNEL_NAME }, { take: 1, order: { created_at: "ASC" } })
    return new StepResponse<FoundSalesChannel>({
      channel: existing ? { id: existing.id, name: existing.name } : null,
      lock_keys: existing ? [] : [SALES_CHANNEL_LOCK_KEY],
      owner_id,
    })
  }
)

/**
 * The sales channel of everything Amazon (FBA locations, imported orders). Rule shared by the FBA sync and
 * the order import: settings.sales_channel_id overrides; otherwise the channel named "Amazon" (the oldest,
 * if several), created with Medusa's createSalesChannelsWorkflow when missing.
 *
 * When it is missing, the find-or-create runs under a lock (waiting up to 30 s) so two syncs starting
 * together cannot create two "Amazon" channels. The creation is never compensated, also when a workflow
 * running this one as a step fails later: the channel is a durable, shared resource that the next run
 * finds again; deleting it would only churn ids that locations and orders point to.
 *
 * @example
 * // inside a workflow's composition
 * const channel = ensureAmazonSalesChannelWorkflow.runAsStep({ input: { sales_channel_id: null } })
 */
export const ensureAmazonSalesChannelWorkflow = createWorkflow(
  ensureAmazonSalesChannelWorkflowId,
  (input: WorkflowData<EnsureAmazonSalesChannelStepInput>) => {
    const first = findAmazonSalesChannelStep(input)
    // No key (the channel was found): the lock steps do nothing.
    acquireLockStep({ key: first.lock_keys, ownerId: first.owner_id, timeout: 30, executeOnSubWorkflow: true })
    const again = findAmazonSalesChannelStep(
      transform({ input, first }, ({ input, first }) => ({ ...input, under_lock: true, skip: !!first.channel }))
    ).config({ name: "amazon-find-sales-channel-locked" })
    const created = when("amazon-sales-channel-missing", { first, again }, ({ first, again }) => !first.channel && !again.channel).then(() =>
      createSalesChannelsWorkflow
        .runAsStep({
          input: {
            salesChannelsData: [
              { name: AMAZON_SALES_CHANNEL_NAME, description: "Amazon marketplaces: FBA stock and imported Amazon orders" },
            ],
          },
        })
        .config({ noCompensation: true })
    )
    releaseLockStep({ key: first.lock_keys, ownerId: first.owner_id, executeOnSubWorkflow: true })
    const channel = transform({ first, again, created }, ({ first, again, created }): EnsureAmazonSalesChannelStepOutput => {
      const found = first.channel ?? again.channel
      if (found) {
        return { ...found, created: false }
      }
      const made = created?.[0]
      if (!made) {
        throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `the "${AMAZON_SALES_CHANNEL_NAME}" sales channel was not created`)
      }
      return { id: made.id, name: made.name, created: true }
    })
    return new WorkflowResponse(channel)
  }
)

/**
 * ensureAmazonSalesChannelWorkflow as a step of another workflow (Medusa's runAsStep). Rename it with
 * `.config({ name })` when a workflow uses it twice.
 *
 * @example
 * const channel = ensureAmazonSalesChannelStep({ sales_channel_id: settings.sales_channel_id })
 */
export function ensureAmazonSalesChannelStep(input: EnsureAmazonSalesChannelStepInput | WorkflowData<EnsureAmazonSalesChannelStepInput>) {
  return ensureAmazonSalesChannelWorkflow.runAsStep({ input: input as WorkflowData<EnsureAmazonSalesChannelStepInput> })
}
