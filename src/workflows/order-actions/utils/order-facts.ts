import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AmazonOrderRecordFacts } from "../../../lib/amazon/order-actions"
import { AMAZON_ORDER_METADATA_KEY } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { type AccountSettings, readAccountSettings } from "../../../types/account-settings"

type Resolver = Pick<MedusaContainer, "resolve">

export interface OrderForActions {
  id: string
  status: string | null
  metadata: Record<string, unknown> | null
  items: {
    id: string
    quantity: number
    metadata: Record<string, unknown> | null
    inventory: { inventory_item_id: string; required_quantity: number }[]
  }[]
  fulfillments: { id: string; shipped_at: string | Date | null; canceled_at: string | Date | null; metadata: Record<string, unknown> | null }[]
}

export interface OrderAmazonContext {
  order: OrderForActions | null
  amazon_order: (AmazonOrderRecordFacts & { payload: unknown }) | null
  /** The account's settings ({} when the account is gone or its settings do not parse). */
  settings: AccountSettings
}

const RECORD_FIELDS = ["id", "account_id", "amazon_order_id", "marketplace_id", "status", "fulfillment_channel", "payload"] as const

/**
 * A Medusa order with what the order actions need, and its Amazon record: through the order ↔ amazon_order
 * link, or by the Amazon order id the import writes into the order's metadata when the link is missing.
 */
export async function loadOrderAmazonContext(container: Resolver, orderId: string): Promise<OrderAmazonContext> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "status",
      "metadata",
      // items.* and not items.quantity: the order module flattens a line item and its version detail
      // (where the quantity lives) only when the item is read whole.
      "items.*",
      "items.variant.inventory_items.inventory_item_id",
      "items.variant.inventory_items.required_quantity",
      "fulfillments.id",
      "fulfillments.shipped_at",
      "fulfillments.canceled_at",
      "fulfillments.metadata",
      ...RECORD_FIELDS.map((f) => `amazon_order.${f}`),
    ],
    filters: { id: orderId },
  })
  const raw = data[0] as any
  if (!raw) {
    return { order: null, amazon_order: null, settings: {} }
  }
  const order: OrderForActions = {
    id: raw.id,
    status: raw.status ?? null,
    metadata: raw.metadata ?? null,
    items: (raw.items ?? []).filter(Boolean).map((i: any) => ({
      id: i.id,
      quantity: Number(i.quantity),
      // The order module flattens the line item with its version detail: `metadata` is the detail's when it
      // has one, `line_item_metadata` the line item's, where the import writes amazon_order_item_id.
      metadata: { ...(i.metadata ?? {}), ...(i.line_item_metadata ?? {}) },
      inventory: (i.variant?.inventory_items ?? []).filter(Boolean).map((ii: any) => ({
        inventory_item_id: ii.inventory_item_id,
        required_quantity: Number(ii.required_quantity ?? 1),
      })),
    })),
    fulfillments: (raw.fulfillments ?? []).filter(Boolean).map((f: any) => ({
      id: f.id,
      shipped_at: f.shipped_at ?? null,
      canceled_at: f.canceled_at ?? null,
      metadata: f.metadata ?? null,
    })),
  }

  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  let record = raw.amazon_order ?? null
  const metaId = order.metadata?.[AMAZON_ORDER_METADATA_KEY]
  if (!record && typeof metaId === "string" && metaId) {
    ;[record] = await amazon.listAmazonOrders({ amazon_order_id: metaId }, { select: [...RECORD_FIELDS], take: 1 })
  }
  let settings: AccountSettings = {}
  const accountId = record?.account_id ?? order.metadata?.amazon_account_id
  if (typeof accountId === "string" && accountId) {
    const [account] = await amazon.listAmazonAccounts({ id: accountId }, { select: ["id", "settings"], take: 1 })
    try {
      settings = readAccountSettings(account?.settings)
    } catch {
      // invalid stored settings are reported where they are edited; defaults apply here
    }
  }
  return {
    order,
    amazon_order: record
      ? {
          id: record.id,
          account_id: record.account_id,
          amazon_order_id: record.amazon_order_id,
          marketplace_id: record.marketplace_id,
          status: record.status,
          fulfillment_channel: record.fulfillment_channel,
          payload: record.payload ?? null,
        }
      : null,
    settings,
  }
}
