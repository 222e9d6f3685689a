import type { ICustomerModuleService, IOrderModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_ORDER_METADATA_KEY } from "../../../lib/amazon/orders"
import { completeOrderInput, LINE_ITEM_VARIANT_FIELDS } from "../utils/batch-order-input"
import type { LineItemVariant } from "../utils/batch-order-input"
import { ensureAmazonOrderRegion } from "./ensure-amazon-order-region"
import type { AmazonOrderBatchEntry } from "./prepare-amazon-order-batch"

export const createAmazonOrderBatchStepId = "amazon-create-order-batch"

export interface CreateAmazonOrderBatchStepInput {
  /** The entries of the batch with `create` set. */
  entries: Pick<AmazonOrderBatchEntry, "amazon_order_id" | "marketplace_id" | "create">[]
  sales_channel_id: string
  /** Marketplace → settings.region_ids entry. */
  region_ids: Record<string, string | null>
}

export interface CreatedAmazonOrder {
  amazon_order_id: string
  order_id: string
  currency_code: string
  total: number
  /** Amazon order item id → Medusa line item id. */
  line_items: Record<string, string>
}

type Undo = { order_ids: string[]; customer_ids: string[] }

/**
 * Creates the Medusa orders of a batch of new Amazon orders with one `createOrders` call of the order
 * module: what createOrderWorkflow does for one order (region, sales channel, the buyer as a guest
 * customer found or created by e-mail, line items from the variants at Amazon's prices) plus Amazon's tax
 * lines, without pricing, promotion and inventory checks that do not apply to an order Amazon already
 * sold (unit prices are Amazon's, items are not discountable and may be backordered).
 *
 * Compensation deletes the orders and the customers this step created.
 *
 * @example
 * const created = createAmazonOrderBatchStep({ entries, sales_channel_id, region_ids })
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

    // One region per marketplace and currency (normally one for the whole batch).
    const regions = new Map<string, string>()
    for (const e of input.entries) {
      const key = `${e.marketplace_id}|${e.create!.input.currency_code}`
      if (!regions.has(key)) {
        const region = await ensureAmazonOrderRegion(container, {
          marketplace_id: e.marketplace_id,
          currency_code: e.create!.input.currency_code,
          region_id: input.region_ids[e.marketplace_id] ?? null,
        })
        regions.set(key, region.id)
      }
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

    const inputs = input.entries.map((e) => {
      const c = e.create!
      const order = {
        ...c.input,
        region_id: regions.get(`${e.marketplace_id}|${c.input.currency_code}`) as string,
        sales_channel_id: input.sales_channel_id,
      }
      return completeOrderInput(order, c.tax, variants, {
        email: c.email ?? undefined,
        customer_id: c.email ? customerOf.get(c.email) : undefined,
      })
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
    const out: CreatedAmazonOrder[] = created.map((o) => ({
      amazon_order_id: o.metadata?.[AMAZON_ORDER_METADATA_KEY] as string,
      order_id: o.id,
      currency_code: o.currency_code,
      total: Number(o.total ?? 0),
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
