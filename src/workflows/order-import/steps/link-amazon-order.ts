import type { Link } from "@medusajs/framework/modules-sdk"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const linkAmazonOrderStepId = "amazon-link-order"

export interface LinkAmazonOrderStepInput {
  account_id: string
  amazon_order_id: string
  marketplace_id: string
  status: string
  fulfillment_channel: "MERCHANT" | "AMAZON"
  amazon_created_at: string | null
  order_id: string
}

type Undo = { record_id: string; created: boolean; previous_order_id: string | null; order_id: string }

/**
 * Records which Medusa order belongs to an Amazon order, right after the order exists: the `order_id`
 * column of our record and the amazon_order ↔ order module link. Done before anything else happens to
 * the order, so the window in which a crash leaves an unlinked order is as short as it can be (and that
 * case is recovered through the order's metadata, see loadAmazonOrderRecordStep).
 *
 * A record created here has `amazon_updated_at` at the epoch: no version is recorded as applied until
 * recordAmazonOrderImportStep writes the real one.
 *
 * @example
 * linkAmazonOrderStep({ account_id, amazon_order_id, marketplace_id, status, fulfillment_channel, amazon_created_at, order_id })
 */
export const linkAmazonOrderStep = createStep(
  linkAmazonOrderStepId,
  async (input: LinkAmazonOrderStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
    const [existing] = await amazon.listAmazonOrders({ amazon_order_id: input.amazon_order_id }, { take: 1 })
    let undo: Undo
    if (existing) {
      await amazon.updateAmazonOrders({ id: existing.id, order_id: input.order_id })
      undo = { record_id: existing.id, created: false, previous_order_id: existing.order_id ?? null, order_id: input.order_id }
    } else {
      const created = await amazon.createAmazonOrders({
        account_id: input.account_id,
        amazon_order_id: input.amazon_order_id,
        marketplace_id: input.marketplace_id,
        status: input.status,
        fulfillment_channel: input.fulfillment_channel,
        amazon_created_at: input.amazon_created_at ? new Date(input.amazon_created_at) : null,
        amazon_updated_at: new Date(0),
        import_status: "pending",
        order_id: input.order_id,
      })
      undo = { record_id: created.id, created: true, previous_order_id: null, order_id: input.order_id }
    }
    await link.create({ [AMAZON_MODULE]: { amazon_order_id: undo.record_id }, [Modules.ORDER]: { order_id: input.order_id } })
    return new StepResponse({ record_id: undo.record_id }, undo)
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const link = container.resolve<Link>(ContainerRegistrationKeys.LINK)
    await link.dismiss({ [AMAZON_MODULE]: { amazon_order_id: undo.record_id }, [Modules.ORDER]: { order_id: undo.order_id } })
    if (undo.created) {
      await amazon.deleteAmazonOrders(undo.record_id)
    } else {
      await amazon.updateAmazonOrders({ id: undo.record_id, order_id: undo.previous_order_id })
    }
  }
)
