import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { LOG_STREAM, TEST_CONNECTION_DEADLINE_MS } from "../constants"

export const testAmazonConnectionStepId = "amazon-test-connection"

export interface TestAmazonConnectionStepInput {
  account_id: string
  /** Longest wait for Amazon's answer; default 20 s. */
  deadline_ms?: number
}

export interface ConnectionMarketplace {
  id: string
  name: string
  country_code: string
  currency_code: string
  is_participating: boolean
}

export interface TestAmazonConnectionResult {
  ok: boolean
  account_id: string
  tested_at: string
  latency_ms: number
  /** Amazon's error code (LwaAuthFailed, Unauthorized, Timeout, …) when ok is false. */
  code: string | null
  message: string | null
  request_id: string | null
  marketplaces: ConnectionMarketplace[]
  /** Marketplaces configured on the account in which the seller does not participate. */
  missing_marketplace_ids: string[]
}

class DeadlineError extends Error {}

/**
 * The "test connection" button: an LWA token exchange and getMarketplaceParticipations through the
 * module's SP-API client, bounded by a deadline because a merchant waits for the answer. The outcome is stored in
 * amazon_sync_log (stream "connection"): an error to act on, or an info row that also resolves earlier
 * connection errors of the account. Read-only at Amazon, so nothing to compensate.
 *
 * @example
 * const result = testAmazonConnectionStep({ account_id: "amzacc_…" })
 */
export const testAmazonConnectionStep = createStep(
  testAmazonConnectionStepId,
  async (input: TestAmazonConnectionStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { take: 1, select: ["id", "marketplace_ids"] })
    if (!account) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${input.account_id} was not found`)
    }
    const deadline = input.deadline_ms ?? TEST_CONNECTION_DEADLINE_MS
    const started = Date.now()
    const testedAt = new Date()
    let timer: NodeJS.Timeout | undefined
    // The test is of the credentials as stored now: a cached access token would pass with a wrong secret.
    const call = amazon.forgetAccessToken(input.account_id).then(() => amazon.testConnection(input.account_id))
    // The call keeps running in the SP-API client after the deadline (it cannot be cancelled); its late outcome is dropped.
    call.catch(() => undefined)
    let result: TestAmazonConnectionResult
    try {
      const res = await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new DeadlineError()), deadline)
        }),
      ])
      const configured = ((account.marketplace_ids ?? []) as unknown as string[]).filter(Boolean)
      const participating = new Set(res.marketplaces.filter((m) => m.is_participating).map((m) => m.id))
      result = {
        ok: true,
        account_id: input.account_id,
        tested_at: testedAt.toISOString(),
        latency_ms: res.latency_ms,
        code: null,
        message: null,
        request_id: res.request_id,
        marketplaces: res.marketplaces,
        missing_marketplace_ids: configured.filter((m) => !participating.has(m)),
      }
    } catch (e) {
      const err = e as { code?: string; message?: string }
      const timedOut = e instanceof DeadlineError
      result = {
        ok: false,
        account_id: input.account_id,
        tested_at: testedAt.toISOString(),
        latency_ms: Date.now() - started,
        code: timedOut ? "Timeout" : String(err?.code ?? "CONNECTION_FAILED"),
        message: timedOut
          ? `Amazon did not answer within ${Math.round(deadline / 1000)} s. Check the SP-API endpoint and try again later.`
          : String(err?.message ?? "unknown error"),
        request_id: null,
        marketplaces: [],
        missing_marketplace_ids: [],
      }
    } finally {
      clearTimeout(timer)
    }

    if (result.ok) {
      const open = await amazon.listAmazonSyncLogs(
        { account_id: input.account_id, stream: LOG_STREAM.connection, resolved_at: null, level: ["error", "warn"] },
        { select: ["id"] }
      )
      if (open.length) {
        await amazon.updateAmazonSyncLogs(open.map((l) => ({ id: l.id, resolved_at: testedAt })))
      }
      await amazon.createAmazonSyncLogs({
        account_id: input.account_id,
        stream: LOG_STREAM.connection,
        level: result.missing_marketplace_ids.length ? "warn" : "info",
        code: result.missing_marketplace_ids.length ? "MARKETPLACE_NOT_PARTICIPATING" : "CONNECTION_OK",
        message: result.missing_marketplace_ids.length
          ? `Connected, but the seller does not sell in ${result.missing_marketplace_ids.join(", ")}.`
          : `Connected in ${result.latency_ms} ms; ${result.marketplaces.length} marketplace(s).`,
        context: { latency_ms: result.latency_ms, request_id: result.request_id, marketplaces: result.marketplaces.map((m) => m.id) },
      })
    } else {
      await amazon.recordSyncLog({
        account_id: input.account_id,
        stream: LOG_STREAM.connection,
        level: "error",
        code: result.code,
        message: `Test connection failed: ${result.message}`,
        context: { latency_ms: result.latency_ms },
      })
    }
    return new StepResponse(result)
  }
)
