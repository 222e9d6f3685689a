import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { MARKETPLACES } from "../../lib/amazon/endpoints"
import { AmazonApiError } from "../../lib/amazon/errors"
import { buildMcfCreateOrder, mcfOrderIdFor, readMcfOrder, type McfServiceTier } from "../../lib/amazon/mcf/mcf-order"
import { AMAZON_MODULE } from "../../modules/amazon"
import type AmazonModuleService from "../../modules/amazon/service"
import { readAccountSettings } from "../../types/account-settings"
import { listingsOfVariants, type Sql } from "../shared/medusa-tables"
import { MCF_PROVIDER_ID, MCF_STREAM } from "./constants"

type FulfillmentRow = {
  id: string
  provider_id: string | null
  location_id: string | null
  data: Record<string, unknown> | null
  items: { line_item_id: string | null; inventory_item_id: string | null; quantity: number | string; sku?: string | null }[]
  delivery_address?: Record<string, string | null> | null
  order?: { id: string } | null
}

type OrderRow = {
  id: string
  email: string | null
  currency_code: string
  sales_channel_id: string | null
  shipping_address: Record<string, string | null> | null
  items: { id: string; variant_id: string | null; unit_price: number | string | null; title?: string | null }[]
  shipping_methods?: { data?: Record<string, unknown> | null; shipping_option_id?: string | null }[] | null
}

/** The account and marketplace whose FBA location a fulfillment ships from, or null. */
async function accountOfLocation(amazon: AmazonModuleService, locationId: string) {
  const accounts = await amazon.listAmazonAccounts({ enabled: true }, { select: ["id", "settings", "name"] })
  for (const a of accounts) {
    const settings = readAccountSettings(a.settings)
    for (const [marketplaceId, id] of Object.entries(settings.fba_location_ids ?? {})) {
      if (id === locationId) return { account: a, marketplace_id: marketplaceId, settings }
    }
  }
  return null
}

/**
 * Places the Multi-Channel Fulfillment order of a fulfillment created with the MCF provider, inside Medusa's
 * createOrderFulfillmentWorkflow (its `fulfillmentCreated` hook): any error here fails that workflow, which
 * undoes the fulfillment, so a refusal by Amazon (unknown SKU, not enough FBA stock, an address it will not
 * ship to) is the merchant's error message, and nothing half-made stays behind.
 *
 * Exactly once: the amazon_mcf_order row is written before the call, keyed by the fulfillment; the Amazon
 * order id is derived from the fulfillment, so a call whose answer was lost (or a retry after a crash) finds
 * the order Amazon already has with getOrder instead of ordering twice.
 */
export async function placeMcfOrder(container: MedusaContainer, fulfillmentId: string): Promise<{ mcf_order_id: string; status: string } | null> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const { data: fulfillments } = await query.graph({
    entity: "fulfillment",
    fields: ["id", "provider_id", "location_id", "data", "items.line_item_id", "items.inventory_item_id", "items.quantity", "items.sku", "delivery_address.*", "order.id"],
    filters: { id: fulfillmentId },
  })
  const f = fulfillments[0] as unknown as FulfillmentRow | undefined
  if (!f || f.provider_id !== MCF_PROVIDER_ID) {
    return null
  }
  const mcfOrderId = mcfOrderIdFor(f.id)
  const located = f.location_id ? await accountOfLocation(amazon, f.location_id) : null
  if (!located) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "Amazon MCF ships only from an Amazon FBA stock location: choose the account's FBA location (for example \"Amazon FBA (DE)\"), or to ship it yourself from another location choose one of the store's own shipping options for this fulfillment"
    )
  }
  const orderId = f.order?.id
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ["id", "email", "currency_code", "sales_channel_id", "shipping_address.*", "items.id", "items.variant_id", "items.unit_price", "items.title", "shipping_methods.data", "shipping_methods.shipping_option_id"],
    filters: { id: orderId },
  })
  const order = orders[0] as unknown as OrderRow | undefined
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `The order of fulfillment ${f.id} was not found`)
  }

  // every fulfilled line needs the FBA listing (AMAZON channel) of this account + marketplace
  const byLine = new Map(order.items.map((i) => [i.id, i]))
  const variantIds = [...new Set(f.items.map((i) => byLine.get(i.line_item_id ?? "")?.variant_id).filter((v): v is string => !!v))]
  const listings = await listingsOfVariants<{ seller_sku: string; account_id: string; marketplace_id: string; fulfillment_channel: string }>(
    container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as unknown as Sql,
    variantIds,
    ["seller_sku", "account_id", "marketplace_id", "fulfillment_channel"]
  )
  const fbaSku = new Map(
    listings
      .filter((l) => l.account_id === located.account.id && l.marketplace_id === located.marketplace_id && l.fulfillment_channel === "AMAZON")
      .map((l) => [l.variant_id, l.seller_sku])
  )
  const lines = f.items.map((item, n) => {
    const line = byLine.get(item.line_item_id ?? "")
    const sku = line?.variant_id ? fbaSku.get(line.variant_id) : undefined
    if (!line || !sku) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${line?.title ?? item.sku ?? "An item"} has no FBA listing on ${located.marketplace_id} linked to its variant, so Amazon cannot ship it: link the FBA SKU in Amazon → Listings, or fulfil it from another location`
      )
    }
    return { line_id: `${n + 1}`, line_item_id: line.id, seller_sku: sku, quantity: Number(item.quantity), unit_price: line.unit_price == null ? null : Number(line.unit_price) }
  })

  const address = (order.shipping_address ?? f.delivery_address ?? {}) as Record<string, string | null>
  if (!address.address_1 || !address.postal_code || !address.country_code) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Amazon needs a shipping address with street, postal code and country for an MCF order")
  }
  const mcf = located.settings.mcf ?? {}
  const tier = (String(f.data?.service_tier ?? order.shipping_methods?.[0]?.data?.service_tier ?? "STANDARD").toUpperCase()) as McfServiceTier
  const channelId = order.sales_channel_id ?? ""
  const request = buildMcfCreateOrder({
    mcf_order_id: mcfOrderId,
    origin_country_code: MARKETPLACES[located.marketplace_id]?.country ?? String(address.country_code),
    channel: "MEDUSA",
    service_tier: tier,
    action: mcf.action ?? "SHIP",
    policy: mcf.policy ?? "FILL_OR_KILL",
    blank_box: (mcf.blank_box_sales_channel_ids ?? []).includes(channelId),
    block_amazon_logistics: (mcf.block_amazon_logistics_sales_channel_ids ?? []).includes(channelId),
    address: {
      name: [address.first_name, address.last_name].filter(Boolean).join(" ") || address.company || "Customer",
      company: address.company,
      address_1: address.address_1,
      address_2: address.address_2,
      city: address.city,
      province: address.province,
      postal_code: address.postal_code,
      country_code: address.country_code,
      phone: address.phone,
    },
    email: order.email,
    currency_code: order.currency_code,
    lines,
  })

  // the record first: whatever happens at Amazon from here on is about a row the tracking job can see
  const [existing] = await amazon.listAmazonMcfOrders({ fulfillment_id: f.id }, { take: 1 })
  const row =
    existing ??
    (await amazon.createAmazonMcfOrders({
      account_id: located.account.id,
      marketplace_id: located.marketplace_id,
      mcf_order_id: mcfOrderId,
      fulfillment_id: f.id,
      order_id: order.id,
      status: "requested",
      action: mcf.action ?? "SHIP",
      policy: mcf.policy ?? "FILL_OR_KILL",
      service_tier: tier,
      lines: lines.map((l) => ({ line_id: l.line_id, line_item_id: l.line_item_id, seller_sku: l.seller_sku, quantity: l.quantity })) as unknown as Record<string, unknown>,
    }))
  const api = await amazon.getSpApi(located.account.id)
  let calls = row.calls
  let placed: Parameters<typeof readMcfOrder>[0] | undefined
  try {
    calls += 1
    const res = await api.createMcfOrder(request)
    placed = (res.data as { order?: Parameters<typeof readMcfOrder>[0] }).order
  } catch (e) {
    // the answer may have been lost after Amazon took the order (or an earlier attempt did): ask by our id
    const refused = e instanceof AmazonApiError && e.status === 400
    try {
      calls += 1
      placed = (await api.getMcfOrder(mcfOrderId)).data.order
      logger.info(`amazon mcf: ${mcfOrderId} was already at Amazon (${e instanceof AmazonApiError ? e.code : "lost answer"}); not ordered again`)
    } catch (lookup) {
      if (!(lookup instanceof AmazonApiError && lookup.status === 404)) {
        throw lookup
      }
      const reason = e instanceof AmazonApiError ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e)
      await amazon.updateAmazonMcfOrders({ id: row.id, status: "refused", last_error: reason, calls })
      await amazon.recordSyncLog({
        account_id: located.account.id,
        stream: MCF_STREAM,
        level: "warn",
        code: "MCF_REFUSED",
        message: `Amazon refused the MCF order of fulfillment ${f.id} (order ${order.id}): ${reason}. The fulfillment was not created; fulfil the order from another location or fix the listing.`,
        context: { mcf_order_record_id: row.id, order_id: order.id, fulfillment_id: f.id },
      })
      throw new MedusaError(refused ? MedusaError.Types.INVALID_DATA : MedusaError.Types.UNEXPECTED_STATE, `Amazon did not take the MCF order: ${reason}`)
    }
  }
  const state = placed ? readMcfOrder(placed) : null
  const status = state?.status ?? ((mcf.action ?? "SHIP") === "HOLD" ? "held" : "processing")
  if (status === "unfulfillable" || status === "invalid") {
    // Amazon took the order but cannot ship it (FILL_OR_KILL and not enough sellable FBA stock): a refusal
    const reason = `Amazon cannot ship it from the FBA stock of ${located.marketplace_id} (${state?.amazon_status}): not enough sellable units of ${lines.map((l) => l.seller_sku).join(", ")}`
    await amazon.updateAmazonMcfOrders({ id: row.id, status, amazon_status: state?.amazon_status ?? null, last_error: reason, last_checked_at: new Date(), calls })
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${reason}. Fulfil the order from another location.`)
  }
  await amazon.updateAmazonMcfOrders({ id: row.id, status, amazon_status: state?.amazon_status ?? "PROCESSING", last_error: null, last_checked_at: new Date(), calls })
  return { mcf_order_id: mcfOrderId, status }
}
