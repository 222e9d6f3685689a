import { createStep, createWorkflow, StepResponse, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, createShippingOptionsWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"
import { randomUUID } from "node:crypto"
import { amazonShippingOptionInput, planAmazonOrderShipping, shippingOptionKey } from "../utils/amazon-shipping"
import type { AmazonOrderShipping, AmazonShippingTarget, FulfilledBy, MissingAmazonShippingOption } from "../utils/amazon-shipping"

export const ensureAmazonOrderShippingWorkflowId = "amazon-ensure-order-shipping"

export interface EnsureAmazonOrderShippingWorkflowInput {
  /** The products of the orders' variants. */
  product_ids: string[]
  /** Where the orders ship from (merchant location or FBA location, with who fulfils). */
  targets: AmazonShippingTarget[]
}

/** One find-or-create of the plugin's shipping options at a time, across instances. */
const SHIPPING_LOCK_KEY = "amazon:ensure-order-shipping"
const SHIPPING_LOCK_WAIT_SECONDS = 60

/**
 * Product profiles, service zones and the options that exist (planAmazonOrderShipping); the missing
 * options come back for createShippingOptionsWorkflow. No compensation: what it makes is durable and
 * shared by every Amazon order (see planAmazonOrderShipping).
 */
const planAmazonOrderShippingStep = createStep("amazon-plan-order-shipping", async (input: EnsureAmazonOrderShippingWorkflowInput, { container }) => {
  return new StepResponse<AmazonOrderShipping & { missing: MissingAmazonShippingOption[] }>(await planAmazonOrderShipping(container, input))
})

/**
 * The plugin's shipping options for imported Amazon orders (see planAmazonOrderShipping): the "Amazon
 * (merchant-fulfilled)" option at each location orders ship from, or "Amazon (Amazon-fulfilled)" at an FBA
 * location, per shipping profile of the orders' products, created once with Medusa's
 * createShippingOptionsWorkflow on the manual provider, under one lock (waiting up to 60 s). Never
 * compensated, also when the workflow running this one as a step fails later: the options are durable
 * and shared by every Amazon order.
 *
 * @example
 * // inside a workflow's composition (see apply-amazon-order-batch.ts)
 * const shipping = ensureAmazonOrderShippingWorkflow.runAsStep({ input: { product_ids, targets: [{ location_id, fulfilled_by: "MERCHANT" }] } })
 * // shipping.options[shippingOptionKey(location_id, profile_id)]
 */
export const ensureAmazonOrderShippingWorkflow = createWorkflow(
  ensureAmazonOrderShippingWorkflowId,
  (input: WorkflowData<EnsureAmazonOrderShippingWorkflowInput>) => {
    const lock = transform({ input }, ({ input }) => ({
      key: input.product_ids.length ? [SHIPPING_LOCK_KEY] : [],
      owner: `amazon:${randomUUID()}`,
    }))
    acquireLockStep({ key: lock.key, ownerId: lock.owner, timeout: SHIPPING_LOCK_WAIT_SECONDS, executeOnSubWorkflow: true })
    const plan = planAmazonOrderShippingStep(input)
    const created = when("amazon-order-shipping-options-missing", { plan }, ({ plan }) => plan.missing.length > 0).then(() =>
      createShippingOptionsWorkflow
        .runAsStep({ input: transform({ plan }, ({ plan }) => plan.missing.map(amazonShippingOptionInput) as never) })
        .config({ noCompensation: true })
    )
    releaseLockStep({ key: lock.key, ownerId: lock.owner, executeOnSubWorkflow: true })
    const result = transform({ plan, created }, ({ plan, created }): AmazonOrderShipping => {
      const options = { ...plan.options }
      const made = (created ?? []) as unknown as { id: string; shipping_profile_id: string; service_zone_id: string }[]
      plan.missing.forEach((m, i) => {
        // createShippingOptionsWorkflow answers in the order of its input.
        const option = made.find((o) => o.shipping_profile_id === m.shipping_profile_id && o.service_zone_id === m.service_zone_id) ?? made[i]
        if (option) {
          options[shippingOptionKey(m.location_id, m.shipping_profile_id)] = option.id
        }
      })
      return { profiles: plan.profiles, options }
    })
    return new WorkflowResponse(result)
  }
)

export interface EnsureAmazonOrderShippingStepInput {
  /** The products of the order's variants. */
  product_ids: string[]
  /** The product of the order's first item: its shipping profile picks the order's shipping option. */
  first_product_id: string | null
  /** Merchant orders: where the first item is (or will be) reserved; Amazon orders: the FBA location. */
  location_id: string | null
  fulfilled_by: FulfilledBy
}

export interface EnsureAmazonOrderShippingStepOutput {
  /** The option the order's shipping method points at; null when the order has no location to ship from. */
  shipping_option_id: string | null
  /** product id → shipping profile. */
  profiles: Record<string, string>
}

/**
 * The shipping option of one imported order, for a workflow's composition: runs
 * ensureAmazonOrderShippingWorkflow as a step (Medusa's runAsStep) for the order's location and picks the
 * option of its first product's shipping profile. Null without a location to ship from.
 *
 * @example
 * const shipping = ensureAmazonOrderShippingStep({ product_ids, first_product_id, location_id, fulfilled_by: "MERCHANT" })
 */
export function ensureAmazonOrderShippingStep(input: WorkflowData<EnsureAmazonOrderShippingStepInput>): WorkflowData<EnsureAmazonOrderShippingStepOutput> {
  const ensured = ensureAmazonOrderShippingWorkflow
    .runAsStep({
      input: transform({ input }, ({ input }) => ({
        product_ids: input.location_id ? input.product_ids : [],
        targets: input.location_id ? [{ location_id: input.location_id, fulfilled_by: input.fulfilled_by }] : [],
      })),
    })
    .config({ noCompensation: true })
  return transform({ input, ensured }, ({ input, ensured }): EnsureAmazonOrderShippingStepOutput => {
    if (!input.location_id || !input.product_ids.length) {
      return { shipping_option_id: null, profiles: {} }
    }
    const profile = ensured.profiles[input.first_product_id ?? input.product_ids[0]] ?? Object.values(ensured.profiles)[0]
    return {
      shipping_option_id: profile ? (ensured.options[shippingOptionKey(input.location_id, profile)] ?? null) : null,
      profiles: ensured.profiles,
    }
  })
}
