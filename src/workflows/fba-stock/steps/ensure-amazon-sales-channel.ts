import type { ILockingModule, ISalesChannelModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { createSalesChannelsWorkflow } from "@medusajs/medusa/core-flows"
import { AMAZON_SALES_CHANNEL_NAME } from "../constants"

export const ensureAmazonSalesChannelStepId = "amazon-ensure-sales-channel"

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

/**
 * The sales channel of everything Amazon (FBA locations, imported orders). Rule shared by the FBA sync and
 * the order import: settings.sales_channel_id overrides; otherwise the channel named "Amazon" (the oldest,
 * if several), created with Medusa's createSalesChannelsWorkflow when missing.
 *
 * The find-or-create runs under a lock so two syncs starting together cannot create two "Amazon" channels.
 * No compensation on purpose: the channel is a durable, shared resource that the next run finds again;
 * deleting it because a later step failed would only churn ids that locations and orders point to.
 *
 * @example
 * const channel = ensureAmazonSalesChannelStep({ sales_channel_id: settings.sales_channel_id })
 */
export const ensureAmazonSalesChannelStep = createStep(
  ensureAmazonSalesChannelStepId,
  async (input: EnsureAmazonSalesChannelStepInput, { container }) => {
    const salesChannels = container.resolve<ISalesChannelModuleService>(Modules.SALES_CHANNEL)

    if (input.sales_channel_id) {
      const [configured] = await salesChannels.listSalesChannels({ id: input.sales_channel_id }, { take: 1 })
      if (!configured) {
        throw new MedusaError(
          MedusaError.Types.NOT_FOUND,
          `settings.sales_channel_id points to sales channel ${input.sales_channel_id}, which does not exist`
        )
      }
      return new StepResponse<EnsureAmazonSalesChannelStepOutput>({ id: configured.id, name: configured.name, created: false })
    }

    const locking = container.resolve<ILockingModule>(Modules.LOCKING)
    const result = await locking.execute(
      "amazon:ensure-sales-channel",
      async () => {
        const [existing] = await salesChannels.listSalesChannels(
          { name: AMAZON_SALES_CHANNEL_NAME },
          { take: 1, order: { created_at: "ASC" } }
        )
        if (existing) {
          return { id: existing.id, name: existing.name, created: false }
        }
        const { result: created } = await createSalesChannelsWorkflow(container).run({
          input: {
            salesChannelsData: [
              { name: AMAZON_SALES_CHANNEL_NAME, description: "Amazon marketplaces: FBA stock and imported Amazon orders" },
            ],
          },
        })
        return { id: created[0].id, name: created[0].name, created: true }
      },
      { timeout: 30 }
    )
    return new StepResponse<EnsureAmazonSalesChannelStepOutput>(result)
  }
)
