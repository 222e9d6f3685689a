import { ContainerRegistrationKeys, validateEmail } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  buildMedusaOrderInput,
  decideImport,
  fulfillmentChannel,
  stockPlanLines,
} from "../../../lib/amazon/orders"
import type { AmazonTaxPlan, MedusaOrderInput, ResolvedVariant, StockPlanLine } from "../../../lib/amazon/orders"
import { parseOrder } from "../../../lib/amazon/parsers/parse-order"
import type { ParsedPackage } from "../../../lib/amazon/parsers/parse-order"
import { AmazonPayloadError } from "../../../lib/amazon/parsers/payload-reader"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { amazonOrderIdsOfOrders, Sql } from "../../shared/medusa-tables"
import type { RecordAmazonOrderImportStepInput } from "./record-amazon-order-import"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import { resolveAmazonOrderVariants } from "./resolve-amazon-order-variants"

export const prepareAmazonOrderBatchStepId = "amazon-prepare-order-batch"

export interface PrepareAmazonOrderBatchStepInput {
  account_id: string
  marketplace_id: string
  /** Orders of one searchOrders page that have no record yet, as received. */
  orders: unknown[]
  /** The per-order locks of these orders; when they could not be taken, every order is handed back. */
  lock: AmazonLock
}

/** One new Amazon order the batch applies: the facts its record keeps, and what applying it needs. */
export interface AmazonOrderBatchEntry
  extends Pick<
    RecordAmazonOrderImportStepInput,
    | "amazon_order_id"
    | "marketplace_id"
    | "status"
    | "fulfillment_channel"
    | "amazon_created_at"
    | "amazon_updated_at"
    | "import_status"
    | "cancellation"
    | "payload"
  > {
  /** Set when Amazon has taken the payment: the Medusa order to create (region and sales channel still "-"). */
  create: { input: MedusaOrderInput; tax: AmazonTaxPlan; email: string | null } | null
  /** The order's lines as the stock plan reads them. */
  items: StockPlanLine[]
  /** Seller SKU → variant, ranked for this order's marketplace and fulfillment channel. */
  variants: Record<string, ResolvedVariant>
  /** Amazon's packages (carrier, tracking) of the order's shipped units. */
  packages: ParsedPackage[]
}

export interface PrepareAmazonOrderBatchStepOutput {
  entries: AmazonOrderBatchEntry[]
  /** Orders the batch does not take (unreadable, unmapped, recorded or created meanwhile, …): applied one by one. */
  fallback: unknown[]
  location_ids: string[]
  sales_channel_id: string | null
  /** Marketplace → settings.region_ids entry. */
  region_ids: Record<string, string | null>
  /** Marketplace → the FBA location Amazon-fulfilled orders ship from (settings.fba_location_ids). */
  fba_location_ids: Record<string, string | null>
}

/**
 * Reads and decides a page's new orders for the batched import (applyAmazonOrderBatchWorkflow), before
 * anything is written, with the same rules as applyAmazonOrderWorkflow: parse, check that no record and
 * no Medusa order exist for the Amazon order id (one query each for the whole page), map SKUs to variants
 * (one lookup per marketplace and fulfillment channel), decide, and build the Medusa order input.
 *
 * Only the plain case is batched: a new order that can be applied as it is. Everything else — an
 * unreadable order, an unknown SKU or other "needs attention" case, an order a crashed run already created
 * in Medusa (recovered through its metadata), an invalid buyer e-mail — is handed back in `fallback` and
 * goes through applyAmazonOrderWorkflow, which files or recovers it. So does a new Amazon-fulfilled order
 * of a marketplace whose FBA location does not exist yet (the one-by-one path makes it).
 *
 * @example
 * const batch = prepareAmazonOrderBatchStep({ account_id, marketplace_id, orders, lock })
 */
export const prepareAmazonOrderBatchStep = createStep(
  prepareAmazonOrderBatchStepId,
  async (input: PrepareAmazonOrderBatchStepInput, { container }) => {
    const out: PrepareAmazonOrderBatchStepOutput = {
      entries: [],
      fallback: [],
      location_ids: [],
      sales_channel_id: null,
      region_ids: {},
      fba_location_ids: {},
    }
    if (!input.lock.acquired) {
      return new StepResponse({ ...out, fallback: input.orders })
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)

    const parsed: { raw: unknown; order: ReturnType<typeof parseOrder> }[] = []
    for (const raw of input.orders) {
      try {
        parsed.push({ raw, order: parseOrder(raw) })
      } catch (e) {
        if (!(e instanceof AmazonPayloadError)) {
          throw e
        }
        out.fallback.push(raw)
      }
    }
    const ids = parsed.map((p) => p.order.orderId)
    const taken = new Set<string>()
    if (ids.length) {
      const rows = await amazon.listAmazonOrders({ amazon_order_id: ids }, { select: ["amazon_order_id"] })
      rows.forEach((r) => taken.add(r.amazon_order_id))
      // Medusa orders a crashed run created before recording them: one select per page (see medusa-tables).
      for (const id of await amazonOrderIdsOfOrders(sql, ids)) {
        taken.add(id)
      }
    }

    // SKUs resolved per (marketplace, fulfillment channel): the ranking of listings depends on both.
    const groups = new Map<string, { marketplace_id: string; fulfilled_by: "MERCHANT" | "AMAZON"; skus: Set<string> }>()
    const keyOf = (o: ReturnType<typeof parseOrder>) => `${o.marketplaceId ?? input.marketplace_id}|${fulfillmentChannel(o)}`
    for (const { order } of parsed) {
      const key = keyOf(order)
      const group = groups.get(key) ?? { marketplace_id: order.marketplaceId ?? input.marketplace_id, fulfilled_by: fulfillmentChannel(order), skus: new Set() }
      order.items.forEach((i) => group.skus.add(i.sku))
      groups.set(key, group)
    }
    const resolved = new Map<string, Awaited<ReturnType<typeof resolveAmazonOrderVariants>>>()
    for (const [key, group] of groups) {
      const r = await resolveAmazonOrderVariants(container, {
        account_id: input.account_id,
        marketplace_id: group.marketplace_id,
        fulfilled_by: group.fulfilled_by,
        skus: [...group.skus],
      })
      resolved.set(key, r)
      out.location_ids = r.location_ids
      out.sales_channel_id = r.sales_channel_id
      out.region_ids[group.marketplace_id] = r.region_id
      out.fba_location_ids[group.marketplace_id] = r.fba_location_id
    }

    for (const { raw, order } of parsed) {
      if (taken.has(order.orderId)) {
        // Recorded, or created in Medusa by a run that crashed (or twice on this page): one by one.
        out.fallback.push(raw)
        continue
      }
      taken.add(order.orderId)
      const r = resolved.get(keyOf(order))!
      const variants = Object.fromEntries(order.items.filter((i) => r.variants[i.sku]).map((i) => [i.sku, r.variants[i.sku]]))
      const decision = decideImport({ order, parse_error: null, record: null, medusa_order: null, variants })
      if (decision.kind !== "apply" || decision.cancel_order) {
        out.fallback.push(raw)
        continue
      }
      if (decision.create_order && fulfillmentChannel(order) === "AMAZON" && !r.fba_location_id) {
        // Its shipping option lives at the FBA location, which the one-by-one path creates if need be.
        out.fallback.push(raw)
        continue
      }
      let create: AmazonOrderBatchEntry["create"] = null
      if (decision.create_order) {
        let email: string | null = null
        try {
          email = order.buyerEmail ? (validateEmail(order.buyerEmail) as string) : null
        } catch {
          // createOrderWorkflow would refuse it: the one-by-one path files the failure for review.
          out.fallback.push(raw)
          continue
        }
        const built = buildMedusaOrderInput(order, { account_id: input.account_id, region_id: "-", sales_channel_id: "-", variants })
        create = { input: built.input, tax: built.tax, email }
      }
      out.entries.push({
        amazon_order_id: order.orderId,
        marketplace_id: order.marketplaceId ?? input.marketplace_id,
        status: order.status as string,
        fulfillment_channel: fulfillmentChannel(order),
        amazon_created_at: order.createdTime ?? null,
        amazon_updated_at: order.lastUpdatedTime,
        import_status: decision.import_status,
        create,
        items: stockPlanLines(order),
        variants,
        packages: order.packages ?? [],
        cancellation: order.cancellation ?? null,
        payload: raw,
      })
    }
    return new StepResponse(out)
  }
)
