import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SpApi } from "../../../lib/amazon/api"
import { isAmazonApiError } from "../../../lib/amazon/errors"
import { parseGetOrderResponse } from "../../../lib/amazon/parsers/parse-order"
import { decideAfterError, type SendError, type ShipmentActionPayload } from "../../../lib/amazon/order-actions"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import type { Sql } from "../../shared/medusa-tables"
import { ORDER_ACTIONS_STREAM } from "../constants"
import { type ActionOutcome, type OrderActionRow, recordOutcomes } from "../utils/action-queries"
import { logActionFailures } from "../utils/log-failures"

export const confirmShipmentsStepId = "amazon-confirm-shipments"

export interface ConfirmShipmentsStepInput {
  lock: AmazonLock
  account_id: string
  rows: OrderActionRow[]
}

export interface ConfirmShipmentsStepOutput {
  done: number
  failed: number
  retried: number
  /** Packages found already confirmed at Amazon (an earlier attempt went through): not sent again. */
  already_confirmed: number
  /** SP-API requests made (confirmShipment and getOrder, retries included). */
  calls: number
}

/** Outcomes are written every few rows, so a crash loses at most these (they are re-read, not resent). */
const FLUSH_EVERY = 10

/** A thrown value as the send decision needs it; anything that is not Amazon's answer counts as retryable. */
export function sendErrorOf(e: unknown): SendError {
  if (isAmazonApiError(e)) {
    return { kind: e.kind, code: e.code, message: e.message, status: e.status }
  }
  const err = e as { code?: string; type?: string; message?: string }
  return { kind: "retryable", code: String(err?.code ?? err?.type ?? "SEND_FAILED"), message: String(err?.message ?? e) }
}

/**
 * Whether Amazon already holds the package of this row (an earlier attempt went through although we never
 * saw the answer: a timeout after sending, a crash before recording, the SP-API client resending after a 5xx).
 * getOrder with PACKAGES lists each package with the packageReferenceId the seller gave.
 */
export async function packageAtAmazon(api: SpApi, row: Pick<OrderActionRow, "amazon_order_id" | "package_reference">): Promise<{ found: boolean; calls: number }> {
  const res = await api.getOrder(row.amazon_order_id, { includedData: ["PACKAGES"] })
  const order = parseGetOrderResponse(res.data)
  return { found: (order.packages ?? []).some((p) => p.referenceId === row.package_reference), calls: res.attempts }
}

/**
 * Sends shipment confirmations one by one with confirmShipment (v0; 2 per second, burst 10 — the SP-API client
 * waits for the quota). A row tried before is first checked at Amazon (getOrder, PACKAGES) and only resent
 * if its package is not there, so a retry never confirms a package twice; the same check runs when Amazon
 * refuses a row, because the refusal may be Amazon seeing its own earlier copy (the SP-API client resends after a
 * 5xx). Outcome per row: 204 → done; refused (4xx) → failed with Amazon's code and message, plus a sync-log
 * error saying what to do; retryable or no answer → queued again with a backoff.
 *
 * No compensation: a confirmed shipment cannot be taken back. This is the run's last Amazon write for
 * these rows, and their outcomes are recorded here.
 *
 * @example
 * confirmShipmentsStep({ lock, account_id, rows: claimed.calls })
 */
export const confirmShipmentsStep = createStep(confirmShipmentsStepId, async (input: ConfirmShipmentsStepInput, { container }) => {
  const out: ConfirmShipmentsStepOutput = { done: 0, failed: 0, retried: 0, already_confirmed: 0, calls: 0 }
  if (!input.lock.acquired || !input.rows.length) {
    return new StepResponse(out)
  }
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const sql = container.resolve<Sql>(ContainerRegistrationKeys.PG_CONNECTION)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const pending: ActionOutcome[] = []
  const failures: { row: OrderActionRow; code: string; message: string }[] = []
  const flush = async () => {
    if (!pending.length) return
    await recordOutcomes(sql, pending.splice(0), new Date())
  }
  const settle = (row: OrderActionRow, error: SendError) => {
    const decision = decideAfterError({ kind: "confirm_shipment", error, attempts: row.attempts, now: new Date(), random: Math.random() })
    if (decision.status === "failed") {
      out.failed++
      failures.push({ row, code: decision.code, message: decision.message })
      pending.push({ id: row.id, status: "failed", last_error_code: decision.code, last_error: decision.message })
    } else {
      out.retried++
      pending.push({
        id: row.id,
        status: "queued",
        next_attempt_at: decision.next_attempt_at,
        last_error_code: decision.code,
        last_error: decision.message,
      })
    }
  }

  let api: SpApi
  try {
    api = await amazon.getSpApi(input.account_id)
  } catch (e) {
    // No client (credentials missing, endpoint refused): nothing can go out for this account now.
    const error = sendErrorOf(e)
    for (const row of input.rows) settle(row, { ...error, kind: "retryable" })
    await flush()
    await amazon.recordSyncLog({
      account_id: input.account_id,
      stream: ORDER_ACTIONS_STREAM,
      level: "error",
      code: error.code,
      message: `No SP-API client for this account (${error.message}); ${input.rows.length} shipment confirmation(s) wait. Fix the account's credentials.`,
    })
    return new StepResponse(out)
  }

  for (const row of input.rows) {
    const payload = row.payload as unknown as ShipmentActionPayload
    try {
      if (row.attempts > 1) {
        const check = await packageAtAmazon(api, row)
        out.calls += check.calls
        if (check.found) {
          out.done++
          out.already_confirmed++
          pending.push({ id: row.id, status: "done" })
          continue
        }
      }
      const res = await api.confirmShipment(row.amazon_order_id, {
        marketplaceId: row.marketplace_id,
        packageDetail: {
          packageReferenceId: row.package_reference as string,
          carrierCode: payload.carrier_code,
          ...(payload.carrier_name ? { carrierName: payload.carrier_name } : {}),
          ...(payload.shipping_method ? { shippingMethod: payload.shipping_method } : {}),
          trackingNumber: payload.tracking_number,
          shipDate: payload.ship_date,
          orderItems: payload.items.map((i) => ({ orderItemId: i.order_item_id, quantity: i.quantity })),
        },
      })
      out.calls += res.attempts
      out.done++
      pending.push({ id: row.id, status: "done" })
    } catch (e) {
      const error = sendErrorOf(e)
      if (isAmazonApiError(e)) out.calls += e.attempts
      if (error.kind === "fatal" && error.status !== undefined && error.status >= 400 && error.status < 500) {
        try {
          const check = await packageAtAmazon(api, row)
          out.calls += check.calls
          if (check.found) {
            // Amazon refused its own earlier copy of this package: it is confirmed.
            out.done++
            out.already_confirmed++
            pending.push({ id: row.id, status: "done" })
            continue
          }
        } catch (checkError) {
          if (isAmazonApiError(checkError)) out.calls += checkError.attempts
          // The refusal stands; the check only ever turns a refusal into done.
        }
      }
      settle(row, error)
    }
    if (pending.length >= FLUSH_EVERY) await flush()
  }
  await flush()

  await logActionFailures(amazon, input.account_id, failures)
  logger.info(
    `amazon ${ORDER_ACTIONS_STREAM}: confirmShipment account=${input.account_id} rows=${input.rows.length} done=${out.done} ` +
      `(already confirmed ${out.already_confirmed}) failed=${out.failed} retried=${out.retried} calls=${out.calls}`
  )
  return new StepResponse(out)
})
