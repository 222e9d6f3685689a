import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { isAmazonApiError } from "../../../lib/amazon/errors"
import { confirmDelays, judgeConfirmation, shownMerchantQuantity } from "../../../lib/stock/confirmation"
import type { AmazonLock } from "../../shared/steps/acquire-amazon-lock"
import { liveLinksOfListings } from "../utils/stock-queries"

export const confirmListingQuantitiesStepId = "amazon-confirm-listing-quantities"

/** The outbox reason of a quantity sent again because Amazon did not show it. */
export const CONFIRM_MISMATCH_REASON = "amazon.confirm_mismatch"

/**
 * Reads per account and run. getListingsItem has its own bucket (5/s, burst 10), so confirmations never
 * take a patch's token; 20 reads are about 2–4 s of it, and a run that finds more due leaves the rest for
 * the next run (they stay due, oldest first).
 */
export const MAX_CONFIRMATIONS_PER_ACCOUNT = 20

export interface ConfirmListingQuantitiesStepInput {
  lock: AmazonLock
  /** "Now" (tests); default the real time. */
  now?: string
}

export interface ConfirmListingQuantitiesStepOutput {
  read: number
  confirmed: number
  waiting: number
  /** Sent again (queued, urgent). */
  repushed: number
  /** Still not shown after the re-push: recorded as errors to act on. */
  not_applied: number
  calls: number
  /** The earliest next read this run scheduled (ISO), so an event-driven push can come back for it. */
  next_due_at: string | null
}

type DueListing = {
  id: string
  account_id: string
  marketplace_id: string
  seller_sku: string
  last_accepted_quantity: number | null
  last_accepted_at: Date | string | null
  confirm_attempts: number
  confirm_repushed_at: Date | string | null
}

const asDate = (d: Date | string | null) => (d ? new Date(d) : null)

/**
 * Confirms accepted quantities against what Amazon shows (lib/stock/confirmation.ts): for each listing
 * whose read is due, getListingsItem with fulfillmentAvailability, then confirmed / read again later / sent
 * once more (the variant queued urgent, last_accepted_quantity set to what Amazon shows so the push does
 * not skip it) / reported as not applied. Runs first in the push, under its lock, so a re-push goes out in
 * the same run. No compensation: a read changes nothing at Amazon, and what it learnt stays true.
 *
 * @example
 * confirmListingQuantitiesStep({ lock })
 */
export const confirmListingQuantitiesStep = createStep(
  confirmListingQuantitiesStepId,
  async (input: ConfirmListingQuantitiesStepInput, { container }) => {
    const out: ConfirmListingQuantitiesStepOutput = { read: 0, confirmed: 0, waiting: 0, repushed: 0, not_applied: 0, calls: 0, next_due_at: null }
    const delays = confirmDelays()
    if (!input.lock.acquired || !delays.length) {
      return new StepResponse(out)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const now = input.now ? new Date(input.now) : new Date()
    const accounts = await amazon.listAmazonAccounts({ enabled: true }, { select: ["id"] })
    const updates: Parameters<AmazonModuleService["updateListingPushStates"]>[0] = []
    const repush: DueListing[] = []
    const notApplied: (DueListing & { shown: number | null })[] = []

    for (const account of accounts) {
      const due = (await amazon.listAmazonListings(
        { account_id: account.id, confirm_status: "waiting", confirm_due_at: { $lte: now }, fulfillment_channel: "MERCHANT" },
        {
          select: ["id", "account_id", "marketplace_id", "seller_sku", "last_accepted_quantity", "last_accepted_at", "confirm_attempts", "confirm_repushed_at"],
          order: { confirm_due_at: "ASC" },
          take: MAX_CONFIRMATIONS_PER_ACCOUNT,
        }
      )) as unknown as DueListing[]
      if (!due.length) continue
      let api: Awaited<ReturnType<AmazonModuleService["getSpApi"]>>
      try {
        api = await amazon.getSpApi(account.id)
      } catch {
        continue // the push meets the same problem and records it
      }
      for (const l of due) {
        if (l.last_accepted_quantity === null || !l.last_accepted_at) {
          updates.push({ id: l.id, confirm_status: null, confirm_due_at: null })
          continue
        }
        let shown: number | null
        try {
          const res = await api.getListingsItem(l.seller_sku, { marketplaceIds: [l.marketplace_id], includedData: ["fulfillmentAvailability"] })
          out.calls += res.attempts
          shown = shownMerchantQuantity(res.data)
        } catch (e) {
          if (isAmazonApiError(e)) out.calls += e.attempts
          if (isAmazonApiError(e) && e.status === 404) {
            shown = null // the listing is gone at Amazon: it shows nothing
          } else {
            break // throttled, 5xx, network: the rest stay due for the next run
          }
        }
        out.read++
        const verdict = judgeConfirmation(
          { accepted: l.last_accepted_quantity, shown, acceptedAt: new Date(l.last_accepted_at), attempts: l.confirm_attempts, repushedAt: asDate(l.confirm_repushed_at), now },
          delays
        )
        const seen = { amazon_quantity: shown, amazon_quantity_at: now, amazon_quantity_source: "listing" }
        switch (verdict.status) {
          case "confirmed":
            out.confirmed++
            updates.push({ id: l.id, ...seen, confirm_status: "confirmed", confirm_due_at: null, confirm_repushed_at: null })
            break
          case "waiting":
            out.waiting++
            updates.push({ id: l.id, ...seen, confirm_due_at: verdict.due_at, confirm_attempts: l.confirm_attempts + 1 })
            if (!out.next_due_at || verdict.due_at.toISOString() < out.next_due_at) out.next_due_at = verdict.due_at.toISOString()
            break
          case "mismatch":
            out.repushed++
            repush.push(l)
            // What Amazon holds is what it shows: the push compares against it and sends the quantity again.
            updates.push({ id: l.id, ...seen, last_accepted_quantity: shown, confirm_status: "mismatch", confirm_due_at: null, confirm_repushed_at: now })
            break
          case "not_applied":
            out.not_applied++
            notApplied.push({ ...l, shown })
            updates.push({
              id: l.id,
              ...seen,
              // what Amazon holds: the next change, or the daily full check, sends the quantity again
              last_accepted_quantity: shown,
              confirm_status: "not_applied",
              confirm_due_at: null,
              push_status: "error",
              last_error_code: "QUANTITY_NOT_APPLIED",
              last_error: `Amazon accepted ${l.last_accepted_quantity} but shows ${shown ?? "no quantity"}`,
            })
            break
        }
      }
    }

    if (updates.length) {
      await amazon.updateListingPushStates(updates)
    }
    if (repush.length) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const links = await liveLinksOfListings(query, repush.map((l) => l.id))
      await amazon.enqueueStockChanges(links.map((k) => ({ variant_id: k.product_variant_id, reason: CONFIRM_MISMATCH_REASON, urgent: true })))
    }
    for (const l of notApplied) {
      await amazon.recordSyncLog({
        account_id: l.account_id,
        stream: "stock_push",
        level: "error",
        code: "QUANTITY_NOT_APPLIED",
        message:
          `Amazon accepted quantity ${l.last_accepted_quantity} for SKU ${l.seller_sku} but still shows ${l.shown ?? "no quantity"}, also after it was sent again. ` +
          `Open the listing in Seller Central (Inventory → Manage All Inventory) and fix what Amazon reports on it; the quantity is sent again with the next change or the daily full check.`,
        context: { sku: l.seller_sku, listing_id: l.id, marketplace_id: l.marketplace_id, quantity: l.last_accepted_quantity, shown: l.shown },
      })
    }
    return new StepResponse(out)
  }
)
