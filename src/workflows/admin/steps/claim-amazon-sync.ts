import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type { SyncStream } from "../constants"
import { claimSync, ClaimSyncResult, releaseSyncClaim, syncClaimAccountIds } from "../utils/sync-claims"

export const claimAmazonSyncStepId = "amazon-claim-sync"

export interface ClaimAmazonSyncStepInput {
  stream: SyncStream
  /** The account the request names; omitted = every enabled account. */
  account_id?: string
  requested_by?: string
}

export type ClaimAmazonSyncStepOutput = ClaimSyncResult & {
  /** For a refusal: which sync holds the stream, in words the admin can show. */
  message?: string
}

/**
 * Claims "sync now" of a stream for its accounts (see utils/sync-claims.ts), so a second request while
 * one is requested or running is refused instead of starting a second run. Returns the running claim
 * (claimed: false) rather than throwing, so the route can answer 409 with it. Undone by releasing the
 * claim (e.g. when the event could not be emitted).
 *
 * @example
 * const claim = claimAmazonSyncStep({ stream: "listings_import", account_id: "amzacc_…" })
 */
export const claimAmazonSyncStep = createStep(
  claimAmazonSyncStepId,
  async (input: ClaimAmazonSyncStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const enabled = await amazon.listAmazonAccounts({ enabled: true }, { select: ["id", "name"] })
    const accountIds = syncClaimAccountIds(input.stream, input.account_id, enabled.map((a) => a.id))
    const result = await claimSync(container, {
      stream: input.stream,
      account_id: input.account_id ?? null,
      account_ids: accountIds,
      requested_by: input.requested_by ?? null,
    })
    if (result.claimed) {
      return new StepResponse<ClaimAmazonSyncStepOutput, string | null>(result, result.sync.id)
    }
    const names = new Map(enabled.map((a) => [a.id, a.name]))
    const held = result.running.account_ids.filter((id) => accountIds.includes(id))
    const who = result.running.account_id
      ? `account "${names.get(result.running.account_id) ?? result.running.account_id}"`
      : held.length === 1
        ? `every enabled account, including "${names.get(held[0]) ?? held[0]}"`
        : "every enabled account"
    const message =
      `A "${result.running.stream}" sync of ${who} is already requested or running (${result.running.id}, started ` +
      `${result.running.started_at}); wait for it to finish before starting another.`
    return new StepResponse<ClaimAmazonSyncStepOutput, string | null>({ ...result, message }, null)
  },
  async (claimId, { container }) => {
    if (!claimId) {
      return
    }
    await releaseSyncClaim(container, claimId)
  }
)
