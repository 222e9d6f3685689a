import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SpApi } from "../../../lib/amazon/api"
import { isAmazonApiError } from "../../../lib/amazon/errors"
import { buildOrderAcknowledgementFeed, type CancelReason } from "../../../lib/amazon/feeds/build-order-acknowledgement-feed"
import { buildOrderFulfillmentFeed } from "../../../lib/amazon/feeds/build-order-fulfillment-feed"
import { submitFeed } from "../../../lib/amazon/feeds/submit-feed"
import {
  ORDER_FEED_CONTENT_TYPE,
  OrderFeedBuildError,
  POST_ORDER_ACKNOWLEDGEMENT_DATA,
  POST_ORDER_FULFILLMENT_DATA,
} from "../../../lib/amazon/feeds/order-feed-xml"
import {
  type CancelActionPayload,
  decideAfterError,
  type OrderActionKind,
  type ShipmentActionPayload,
  whatToDo,
} from "../../../lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import type { Sql } from "../../shared/medusa-tables"
import { ORDER_ACTIONS_STREAM } from "../constants"
import { type ActionOutcome, assignFeed, type OrderActionRow, recordOutcomes } from "../utils/action-queries"
import { logActionFailures } from "../utils/log-failures"
import { sendErrorOf } from "./confirm-shipments"

export const submitOrderActionFeedsStepId = "amazon-submit-order-action-feeds"

export interface SubmitOrderActionFeedsStepInput {
  lock: AmazonLock
  account_id: string
  shipments: OrderActionRow[]
  cancels: OrderActionRow[]
}

export interface SubmittedOrderFeed {
  feed_id: string
  feed_type: string
  marketplace_id: string
  messages: number
}

export interface SubmitOrderActionFeedsStepOutput {
  feeds: SubmittedOrderFeed[]
  /** Rows refused before sending (the builder found a value Amazon cannot take). */
  failed: number
  /** Rows back in the queue (Amazon or the network failed the submission). */
  retried: number
  calls: number
}

/** The message of one row in a feed document, or the builder's refusal of it. */
function shipmentPackage(row: OrderActionRow) {
  const p = row.payload as unknown as ShipmentActionPayload
  return {
    amazonOrderId: row.amazon_order_id,
    packageReference: row.package_reference ?? undefined,
    fulfillmentDate: p.ship_date,
    // FulfillmentData holds CarrierCode or CarrierName: "Other" + name becomes the name alone.
    ...(p.carrier_code === "Other" ? { carrierName: p.carrier_name ?? "Other" } : { carrierCode: p.carrier_code }),
    ...(p.shipping_method ? { shippingMethod: p.shipping_method } : {}),
    trackingNumber: p.tracking_number,
    items: p.items.map((i) => ({ amazonOrderItemCode: i.order_item_id, quantity: i.quantity })),
  }
}

function cancelAcknowledgement(row: OrderActionRow) {
  const p = row.payload as unknown as CancelActionPayload
  return {
    amazonOrderId: row.amazon_order_id,
    statusCode: "Failure" as const,
    // Without items the whole order is cancelled, and the schema has no order-level reason to send.
    ...(p.items.length
      ? { items: p.items.map((i) => ({ amazonOrderItemCode: i.order_item_id, cancelReason: p.reason as CancelReason })) }
      : {}),
  }
}

/** Index of the input entry a builder error names (`packages[3].items[0]…` → 3), or undefined. */
function failedIndex(e: OrderFeedBuildError): number | undefined {
  const m = /^(?:packages|acknowledgements)\[(\d+)\]/.exec(e.field)
  return m ? Number(m[1]) : undefined
}

/**
 * Builds the document; a row the builder refuses is taken out (failed, with the builder's reason) and the
 * rest are built again, so one bad value does not hold up everybody's feed.
 */
function buildDropping(kind: OrderActionKind, sellerId: string, rows: OrderActionRow[], refused: { row: OrderActionRow; code: string; message: string }[]) {
  for (;;) {
    if (!rows.length) return null
    try {
      return kind === "cancel"
        ? buildOrderAcknowledgementFeed({ sellerId, acknowledgements: rows.map(cancelAcknowledgement) })
        : buildOrderFulfillmentFeed({ sellerId, packages: rows.map(shipmentPackage) })
    } catch (e) {
      const index = e instanceof OrderFeedBuildError ? failedIndex(e) : undefined
      if (index === undefined) throw e
      const [bad] = rows.splice(index, 1)
      refused.push({ row: bad, code: (e as OrderFeedBuildError).code, message: `${(e as Error).message}. ${whatToDo(kind)}` })
    }
  }
}

/**
 * Sends claimed rows as XML order feeds, one per kind and marketplace: cancellations as
 * POST_ORDER_ACKNOWLEDGEMENT_DATA (StatusCode Failure, an Item per cancelled order item with its
 * CancelReason), a backlog of shipment confirmations as POST_ORDER_FULFILLMENT_DATA (MerchantFulfillmentID =
 * the package reference, so a resent feed repeats nothing). Submitted like any feed (submitFeed:
 * createFeedDocument with `text/xml; charset=UTF-8`, upload, createFeed). Each row then carries the feed id
 * and its MessageID and stays `sending` until the feed-results step reads Amazon's processing report.
 *
 * A failed submission puts the rows back in the queue with a backoff; a createFeed without an answer may
 * have created the feed, and resending it is harmless for both feed types (a repeated package reference or a
 * repeated cancellation changes nothing at Amazon).
 *
 * No compensation: a submitted feed cannot be taken back; the rows' state is recorded here.
 *
 * @example
 * submitOrderActionFeedsStep({ lock, account_id, shipments: claimed.feed_shipments, cancels: claimed.feed_cancels })
 */
export const submitOrderActionFeedsStep = createStep(
  submitOrderActionFeedsStepId,
  async (input: SubmitOrderActionFeedsStepInput, { container }) => {
    const out: SubmitOrderActionFeedsStepOutput = { feeds: [], failed: 0, retried: 0, calls: 0 }
    if (!input.lock.acquired || (!input.shipments.length && !input.cancels.length)) {
      return new StepResponse(out)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const outcomes: ActionOutcome[] = []
    const refused: { row: OrderActionRow; code: string; message: string }[] = []

    const requeueAll = (rows: OrderActionRow[], kind: OrderActionKind, e: unknown) => {
      const error = sendErrorOf(e)
      for (const row of rows) {
        const decision = decideAfterError({ kind, error, attempts: row.attempts, now: new Date(), random: Math.random() })
        if (decision.status === "failed") {
          out.failed++
          refused.push({ row, code: decision.code, message: decision.message })
          outcomes.push({ id: row.id, status: "failed", last_error_code: decision.code, last_error: decision.message })
        } else {
          out.retried++
          outcomes.push({ id: row.id, status: "queued", next_attempt_at: decision.next_attempt_at, last_error_code: decision.code, last_error: decision.message })
        }
      }
    }

    let api: SpApi | null = null
    try {
      api = await amazon.getSpApi(input.account_id)
    } catch (e) {
      requeueAll(input.shipments, "confirm_shipment", { ...sendErrorOf(e), kind: "retryable" })
      requeueAll(input.cancels, "cancel", { ...sendErrorOf(e), kind: "retryable" })
    }

    if (api) {
      const groups: { kind: OrderActionKind; feedType: string; rows: OrderActionRow[] }[] = []
      for (const [kind, feedType, rows] of [
        ["cancel", POST_ORDER_ACKNOWLEDGEMENT_DATA, input.cancels],
        ["confirm_shipment", POST_ORDER_FULFILLMENT_DATA, input.shipments],
      ] as const) {
        const byMarketplace = new Map<string, OrderActionRow[]>()
        for (const row of rows) byMarketplace.set(row.marketplace_id, [...(byMarketplace.get(row.marketplace_id) ?? []), row])
        for (const list of byMarketplace.values()) groups.push({ kind, feedType, rows: list })
      }

      for (const group of groups) {
        const rows = [...group.rows]
        const before = refused.length
        const built = buildDropping(group.kind, api.sellerId, rows, refused)
        for (const r of refused.slice(before)) {
          out.failed++
          outcomes.push({ id: r.row.id, status: "failed", last_error_code: r.code, last_error: r.message })
        }
        if (!built) continue
        const marketplaceId = rows[0].marketplace_id
        try {
          // Order feed types have no quota of their own (feed-quota.ts): only createFeed's bucket limits them.
          const { feedId } = await submitFeed(
            api,
            { feedType: group.feedType, marketplaceIds: [marketplaceId], contentType: ORDER_FEED_CONTENT_TYPE, body: built.xml },
            { tally: out }
          )
          // The builder numbers messages 1..n in input order.
          await assignFeed(sql, feedId, rows.map((row, i) => ({ id: row.id, message_id: built.messages[i].messageId })))
          out.feeds.push({ feed_id: feedId, feed_type: group.feedType, marketplace_id: marketplaceId, messages: rows.length })
          logger.info(
            `amazon ${ORDER_ACTIONS_STREAM}: submitted ${group.feedType} feed ${feedId} account=${input.account_id} marketplace=${marketplaceId} messages=${rows.length}`
          )
        } catch (e) {
          if (isAmazonApiError(e)) out.calls += e.attempts
          requeueAll(rows, group.kind, e)
        }
      }
    }

    await recordOutcomes(sql, outcomes, new Date())
    await logActionFailures(amazon, input.account_id, refused)
    return new StepResponse(out)
  }
)
