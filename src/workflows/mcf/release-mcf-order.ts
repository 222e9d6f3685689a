import { MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { AmazonApiError } from "../../lib/amazon/errors"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"

/**
 * Releases an MCF order placed on HOLD (account setting mcf.action = HOLD): Amazon ships it from then on
 * (updateOrder, action SHIP). Amazon keeps a hold for 14 days at most. An order not on hold is refused (400).
 */
export const releaseMcfOrderStep = createStep("amazon-release-mcf-order-step", async ({ id }: { id: string }, { container }) => {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [row] = await amazon.listAmazonMcfOrders({ id }, { take: 1 })
  if (!row) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `MCF order ${id} was not found`)
  }
  if (row.status !== "held") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `MCF order ${row.mcf_order_id} is not on hold (${row.status})`)
  }
  const api = await amazon.getSpApi(row.account_id)
  try {
    await api.updateMcfOrder(row.mcf_order_id, { fulfillmentConfiguration: { action: "SHIP" } })
  } catch (e) {
    const reason = e instanceof AmazonApiError ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e)
    await amazon.updateAmazonMcfOrders({ id: row.id, last_error: `Releasing refused by Amazon: ${reason}`, calls: row.calls + 1 })
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Amazon did not release MCF order ${row.mcf_order_id}: ${reason}`)
  }
  await amazon.updateAmazonMcfOrders({ id: row.id, status: "processing", action: "SHIP", last_error: null, calls: row.calls + 1 })
  return new StepResponse({ id: row.id, status: "processing" })
})

/** "Release" on the dashboard: one step, since a released hold cannot be put back (Amazon ships at once). */
export const releaseAmazonMcfOrderWorkflow = createWorkflow("amazon-release-mcf-order", (input: { id: string }) => {
  return new WorkflowResponse(releaseMcfOrderStep(input))
})
