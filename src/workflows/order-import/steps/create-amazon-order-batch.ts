import type { ICustomerModuleService, IOrderModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, decorateCartTotals, generateEntityId, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_ORDER_METADATA_KEY, shippingLocationOf } from "../../../lib/amazon/orders"
import { completeOrderInput, LINE_ITEM_VARIANT_FIELDS } from "../utils/batch-order-input"
import type { LineItemVariant } from "../utils/batch-order-input"
import { shippingOptionKey } from "../utils/amazon-shipping"
import type { AmazonOrderShipping, AmazonShippingTarget } from "../utils/amazon-shipping"
import type { AmazonOrderBatchEntry } from "./prepare-amazon-order-batch"

export const createAmazonOrderBatchStepId = "amazon-create-order-batch"

export interface CreateAmazonOrderBatchStepInput {
  /** The entries of the batch with `create` set. */
  entries: Pick<AmazonOrderBatchEntry, "amazon_order_id" | "marketplace_id" | "create" | "fulfillment_channel" | "items" | "variants">[]
  sales_channel_id: string
  /** `${marketplace_id}|${currency_code}` → the region of those orders (ensureAmazonOrderRegionsWorkflow). */
  regions: Record<string, string>
  /** Per entry, where it ships from (amazonOrderBatchShippingTargets); null without a location. */
  targets: (AmazonShippingTarget | null)[]
  /** The plugin's shipping options for those targets (ensureAmazonOrderShippingWorkflow). */
  shipping: AmazonOrderShipping
}

/** The key of `regions`: the orders of one marketplace and currency share a region. */
export function amazonOrderRegionKey(marketplaceId: string, currencyCode: string): string {
  return `${marketplaceId}|${currencyCode.toLowerCase()}`
}

/**
 * Where each new order of a batch ships from: the location its first stock-managed item will be reserved
 * at (shippingLocationOf), or the marketplace's FBA location for an Amazon-fulfilled order; null without one.
 */
export function amazonOrderBatchShippingTargets(
  entries: CreateAmazonOrderBatchStepInput["entries"],
  locationIds: string[],
  fbaLocationIds: Record<string, string | null>
): (AmazonShippingTarget | null)[] {
  return entries.map((e) => {
    const location = e.fulfillment_channel === "AMAZON" ? (fbaLocationIds[e.marketplace_id] ?? null) : shippingLocationOf(e.items, e.variants, locationIds)
    return location ? { location_id: location, fulfilled_by: e.fulfillment_channel } : null
  })
}

export interface CreatedAmazonOrder {
  amazon_order_id: string
  order_id: string
  currency_code: string
  total: number
  /**
   * The id the payment's capture is to have (markAmazonOrderBatchPaidStep): the order already holds the
   * transaction recording it. Null for an order with nothing to pay.
   */
  capture_id: string | null
  /** The plugin's shipping option on the order's shipping method; null when the order has no location to ship from. */
  shipping_option_id: string | null
  /** Amazon order item id → Medusa line item id. */
  line_items: Record<string, string>
}

type Undo = { order_ids: string[]; customer_ids: string[] }

/**
 * Creates the Medusa orders of a batch of new Amazon orders with one `createOrders` call of the order
 * module: what createOrderWorkflow does for one order (region, sales channel, the buyer as a guest
 * customer found or created by e-mail, line items from the variants at Amazon's prices) plus Amazon's tax
 * lines, without pricing, promotion and inventory checks that do not apply to an order Amazon already
 * sold (unit prices are Amazon's, items are not discountable and may be backordered). Each order's
 * shipping method points at the plugin's Amazon shipping option, as on the one-by-one path (the batch
 * workflow ensures the regions and options of the page before this step, each once). Each order is created with the order transaction of the
 * capture that markAmazonOrderBatchPaidStep then writes (capturePaymentWorkflow's addOrderTransactionStep
 * records one per capture): the order module computes the order's summary — paid total, nothing
 * outstanding — as it creates the order, instead of rewriting every summary afterwards.
 *
 * Compensation deletes the orders and the customers this step created.
 *
 * @example
 * const created = createAmazonOrderBatchStep({ entries, sales_channel_id, regions, targets, shipping })
 */
export const createAmazonOrderBatchStep = createStep(
  createAmazonOrderBatchStepId,
  async (input: CreateAmazonOrderBatchStepInput, { container }) => {
    const undo: Undo = { order_ids: [], customer_ids: [] }
    if (!input.entries.length) {
      return new StepResponse<CreatedAmazonOrder[], Undo>([], undo)
    }
    const orders = container.resolve<IOrderModuleService>(Modules.ORDER)
    const customers = container.resolve<ICustomerModuleService>(Modules.CUSTOMER)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)

    const targets = input.targets
    const productOf = (e: CreateAmazonOrderBatchStepInput["entries"][number]) => e.variants[e.items[0]?.seller_sku]?.product_id ?? null
    const shipping = input.shipping
    const optionOf = (i: number): string | undefined => {
      const target = targets[i]
      const product = productOf(input.entries[i])
      const profile = product ? shipping.profiles[product] : undefined
      return target && profile ? shipping.options[shippingOptionKey(target.location_id, profile)] : undefined
    }

    const variantIds = [...new Set(input.entries.flatMap((e) => e.create!.input.items.map((i) => i.variant_id)))]
    const { data: variantRows } = await query.graph({ entity: "product_variant", fields: LINE_ITEM_VARIANT_FIELDS, filters: { id: variantIds } })
    const variants = new Map((variantRows as LineItemVariant[]).map((v) => [v.id, v]))

    // Buyers as in findOrCreateCustomerStep: a registered customer with the e-mail wins, else a guest with
    // exactly that e-mail, else a new guest.
    const emails = [...new Set(input.entries.map((e) => e.create!.email).filter((m): m is string => !!m))]
    const customerOf = new Map<string, string>()
    if (emails.length) {
      const found = await customers.listCustomers({ email: emails }, { select: ["id", "email", "has_account"] })
      for (const email of emails) {
        const mine = found.filter((c) => c.email === email)
        const pick = mine.find((c) => c.has_account) ?? mine[0]
        if (pick) {
          customerOf.set(email, pick.id)
        }
      }
      const missing = emails.filter((m) => !customerOf.has(m))
      if (missing.length) {
        const created = await customers.createCustomers(missing.map((email) => ({ email })))
        for (const c of created) {
          customerOf.set(c.email as string, c.id)
          undo.customer_ids.push(c.id)
        }
      }
    }

    const inputs = input.entries.map((e, i) => {
      const c = e.create!
      const option = optionOf(i)
      const order = {
        ...c.input,
        region_id: input.regions[amazonOrderRegionKey(e.marketplace_id, c.input.currency_code)],
        sales_channel_id: input.sales_channel_id,
        shipping_methods: c.input.shipping_methods.map((m, j) => (j === 0 && option ? { ...m, shipping_option_id: option } : m)),
      }
      const complete = completeOrderInput(order, c.tax, variants, {
        email: c.email ?? undefined,
        customer_id: c.email ? customerOf.get(c.email) : undefined,
      })
      // The total the order module will compute for the order (createOrders runs the same function).
      const total = Number(decorateCartTotals(structuredClone({ ...complete, credit_lines: [] }) as never).total ?? 0)
      if (total > 0) {
        complete.transactions = [
          { amount: total, currency_code: order.currency_code, reference: "capture", reference_id: generateEntityId(undefined, "capt") },
        ]
      }
      return complete
    })
    let created: any[]
    try {
      created = await orders.createOrders(inputs as never)
    } catch (e) {
      if (undo.customer_ids.length) {
        await customers.deleteCustomers(undo.customer_ids)
      }
      throw e
    }
    undo.order_ids = created.map((o) => o.id)
    // The module lists what it created in no particular order: each order names its Amazon order.
    const captureOf = new Map(
      inputs.map((i) => [
        (i.metadata as Record<string, unknown>)[AMAZON_ORDER_METADATA_KEY] as string,
        ((i.transactions as { reference_id: string }[] | undefined) ?? [])[0]?.reference_id ?? null,
      ])
    )
    const out: CreatedAmazonOrder[] = created.map((o) => ({
      amazon_order_id: o.metadata?.[AMAZON_ORDER_METADATA_KEY] as string,
      order_id: o.id,
      currency_code: o.currency_code,
      total: Number(o.total ?? 0),
      capture_id: captureOf.get(o.metadata?.[AMAZON_ORDER_METADATA_KEY] as string) ?? null,
      shipping_option_id: ((o.shipping_methods ?? []) as { shipping_option_id?: string | null }[])[0]?.shipping_option_id ?? null,
      line_items: Object.fromEntries(
        ((o.items ?? []) as { id: string; metadata?: Record<string, unknown> | null }[])
          .filter((li) => typeof li.metadata?.amazon_order_item_id === "string")
          .map((li) => [li.metadata!.amazon_order_item_id as string, li.id])
      ),
    }))
    return new StepResponse<CreatedAmazonOrder[], Undo>(out, undo)
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    if (undo.order_ids.length) {
      await container.resolve<IOrderModuleService>(Modules.ORDER).deleteOrders(undo.order_ids)
    }
    if (undo.customer_ids.length) {
      await container.resolve<ICustomerModuleService>(Modules.CUSTOMER).deleteCustomers(undo.customer_ids)
    }
  }
)
