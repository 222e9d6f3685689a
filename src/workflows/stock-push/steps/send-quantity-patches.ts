import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { buildListingsPatchBody } from "../../../lib/amazon/feeds/build-listings-feed"
import { isAmazonApiError } from "../../../lib/amazon/errors"
import { awaitingConfirmation } from "../../../lib/stock/confirmation"
import type { ComputedCandidate, StockPushAccount } from "./compute-listing-quantities"

export const sendQuantityPatchesStepId = "amazon-send-quantity-patches"

export interface SendQuantityPatchesStepInput {
  accounts: StockPushAccount[]
  patch: ComputedCandidate[]
}

export interface SendQuantityPatchesStepOutput {
  accepted: number
  rejected: number
  /** Patches that failed for a passing reason (throttling, 5xx, network): sent in this run's feed instead. */
  fallback: ComputedCandidate[]
  /** Amazon calls made (attempts included). */
  calls: number
}

function issueText(issues: { code?: string; message?: string; severity?: string }[] | undefined) {
  const errors = (issues ?? []).filter((i) => i.severity === "ERROR")
  const first = errors[0] ?? issues?.[0]
  return {
    code: first?.code ?? "INVALID",
    message: errors.map((i) => `${i.code ?? ""} ${i.message ?? ""}`.trim()).join("; ") || "Amazon rejected the quantity",
  }
}

/** One amazon_listing_patch row (see AmazonListingPatch). */
type PatchHistoryRow = {
  account_id: string
  listing_id: string
  seller_sku: string
  marketplace_id: string
  quantity: number
  status: "accepted" | "error"
  code: string | null
  message: string | null
  submission_id: string | null
  sent_at: Date
}

function historyRow(
  c: ComputedCandidate,
  sentAt: Date,
  outcome: { status: PatchHistoryRow["status"]; code?: string; message?: string; submission_id?: string }
): PatchHistoryRow {
  return {
    account_id: c.account_id,
    listing_id: c.listing_id,
    seller_sku: c.seller_sku,
    marketplace_id: c.marketplace_id,
    quantity: c.quantity,
    status: outcome.status,
    code: outcome.code ?? null,
    message: outcome.message ?? null,
    submission_id: outcome.submission_id ?? null,
    sent_at: sentAt,
  }
}

/**
 * The history is derived data: failing to write it must not fail a run whose quantities Amazon already
 * has (the workflow would keep the outbox rows and send them all again), so it is logged and dropped.
 */
async function recordPatchHistory(container: MedusaContainer, rows: PatchHistoryRow[]) {
  if (!rows.length) {
    return
  }
  try {
    await container.resolve<AmazonModuleService>(AMAZON_MODULE).createAmazonListingPatches(rows)
  } catch (e) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`amazon stock push: could not record the history of ${rows.length} patch(es): ${(e as { message?: string })?.message ?? String(e)}`)
  }
}

/**
 * Sends urgent quantity changes with patchListingsItem (synchronous, 5 per second per seller, no feed
 * quota). ACCEPTED records the quantity as accepted at once; INVALID keeps the listing in error with
 * Amazon's message for the admin. A throttled or failed call does not lose the change: it and the rest of
 * the account's patches move to this run's feed.
 *
 * Each patch Amazon answered (ACCEPTED or INVALID) or that failed for good (a fatal AmazonApiError) is
 * kept as one amazon_listing_patch row, the patch side of a listing's push history; a patch that moved to
 * the feed is recorded by its feed message instead. The rows go in with one insert after the loop: an
 * insert per patch would add a database round trip to every Amazon call of the run.
 *
 * This step is the last word for the SKUs it patches (an absolute quantity cannot be "un-set", and
 * setting it again is harmless), so it has no compensation; nor have the history rows, which record calls
 * that were made whatever becomes of the run.
 *
 * @example
 * const patched = sendQuantityPatchesStep({ accounts, patch: plan.patch })
 */
export const sendQuantityPatchesStep = createStep(
  sendQuantityPatchesStepId,
  async (input: SendQuantityPatchesStepInput, { container }) => {
    const out: SendQuantityPatchesStepOutput = { accepted: 0, rejected: 0, fallback: [], calls: 0 }
    if (!input.patch.length) {
      return new StepResponse(out)
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const history: PatchHistoryRow[] = []
    for (const account of input.accounts) {
      const todo = input.patch.filter((c) => c.account_id === account.id)
      if (!todo.length) continue
      let api: Awaited<ReturnType<AmazonModuleService["getSpApi"]>>
      try {
        api = await amazon.getSpApi(account.id)
      } catch {
        // The feed step meets the same problem, records it and keeps the changes queued.
        out.fallback.push(...todo)
        continue
      }
      const op = account.settings.push?.op ?? "merge"
      for (let i = 0; i < todo.length; i++) {
        const c = todo[i]
        const sentAt = new Date()
        try {
          const res = await api.patchListingsItem(
            c.seller_sku,
            { marketplaceIds: [c.marketplace_id], includedData: ["issues"] },
            buildListingsPatchBody({ productType: c.product_type, quantity: c.quantity, op })
          )
          out.calls += res.attempts
          if (res.data.status === "ACCEPTED") {
            out.accepted++
            history.push(historyRow(c, sentAt, { status: "accepted", submission_id: res.data.submissionId }))
            await amazon.updateAmazonListings({
              id: c.listing_id,
              last_accepted_quantity: c.quantity,
              last_accepted_at: new Date(),
              // ACCEPTED is not yet shown to buyers: read it back later (confirm-listing-quantities.ts)
              ...awaitingConfirmation(new Date()),
              last_sent_quantity: c.quantity,
              last_sent_at: sentAt,
              push_status: "accepted",
              last_error: null,
              last_error_code: null,
              retry_count: 0,
              next_retry_at: null,
            })
          } else {
            out.rejected++
            const { code, message } = issueText(res.data.issues)
            history.push(historyRow(c, sentAt, { status: "error", code, message, submission_id: res.data.submissionId }))
            await amazon.updateAmazonListings({
              id: c.listing_id,
              last_sent_quantity: c.quantity,
              last_sent_at: sentAt,
              push_status: "error",
              last_error_code: code,
              last_error: message,
              next_retry_at: null,
            })
            await amazon.recordSyncLog({
              account_id: account.id,
              stream: "stock_push",
              level: "error",
              code,
              message: `Amazon rejected quantity ${c.quantity} for SKU ${c.seller_sku}: ${message}`,
              context: { sku: c.seller_sku, listing_id: c.listing_id, marketplace_id: c.marketplace_id, quantity: c.quantity, via: "patchListingsItem", submission_id: res.data.submissionId },
            })
          }
        } catch (e) {
          if (isAmazonApiError(e)) {
            out.calls += e.attempts
          }
          if (isAmazonApiError(e) && e.kind === "fatal") {
            out.rejected++
            history.push(historyRow(c, sentAt, { status: "error", code: e.code, message: e.message }))
            await amazon.updateAmazonListings({
              id: c.listing_id,
              last_sent_quantity: c.quantity,
              last_sent_at: sentAt,
              push_status: "error",
              last_error_code: e.code,
              last_error: e.message,
              next_retry_at: null,
            })
            await amazon.recordSyncLog({
              account_id: account.id,
              stream: "stock_push",
              level: "error",
              code: e.code,
              message: `patchListingsItem failed for SKU ${c.seller_sku}: ${e.message}`,
              context: { sku: c.seller_sku, listing_id: c.listing_id, quantity: c.quantity, request_id: e.requestId ?? null },
            })
            continue
          }
          // Throttled, 5xx, network, or an unclear outcome (timeout): re-sending the absolute quantity in
          // the feed is safe, and further patches would likely meet the same trouble.
          out.fallback.push(...todo.slice(i))
          await amazon.recordSyncLog({
            account_id: account.id,
            stream: "stock_push",
            level: "warn",
            code: isAmazonApiError(e) ? e.code : "PATCH_FAILED",
            message: `patchListingsItem failed (${(e as Error).message}); ${todo.length - i} change(s) go to the feed instead`,
            context: { sku: c.seller_sku, skus: todo.slice(i, i + 50).map((t) => t.seller_sku) },
          })
          break
        }
      }
    }
    await recordPatchHistory(container, history)
    return new StepResponse(out)
  }
)
