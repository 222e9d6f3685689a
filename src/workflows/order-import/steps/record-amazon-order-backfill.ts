import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { isBackfillActive, newOrderBackfill, OrderBackfillRangeError } from "../../../lib/amazon/orders"
import type { OrderBackfillState } from "../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { ORDERS_BACKFILL_STREAM } from "../constants"

export const recordAmazonOrderBackfillStepId = "amazon-record-order-backfill"

export interface RecordAmazonOrderBackfillStepInput {
  account_id: string
  created_after: string
  /** Default: every marketplace of the account. */
  marketplace_ids?: string[]
  /** Replace a back-import still running (else 409). */
  replace?: boolean
  /** The request's time (tests pass a fixed one). */
  now?: string
}

type Undo = { cursors: { id: string; state: Record<string, unknown> | null }[]; keys: string[] }

/**
 * Records a back-import of older orders for each marketplace asked for, on its cursor (stream
 * "orders_backfill"): the range checked against what Amazon serves (newOrderBackfill; a bad one is a 400),
 * progress zeroed. The order import's next run (every 2 minutes, or "sync now") goes on with it. Nothing
 * is asked of Amazon here. A marketplace whose back-import is still running answers 409 unless `replace`.
 * Compensation puts the cursors' previous state back.
 */
export const recordAmazonOrderBackfillStep = createStep(
  recordAmazonOrderBackfillStepId,
  async (input: RecordAmazonOrderBackfillStepInput, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const [account] = await amazon.listAmazonAccounts({ id: input.account_id }, { select: ["id", "enabled", "marketplace_ids"], take: 1 })
    if (!account) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account ${input.account_id} was not found`)
    }
    const known = (account.marketplace_ids as unknown as string[]) ?? []
    const wanted = input.marketplace_ids ?? known
    const unknown = wanted.filter((m) => !known.includes(m))
    if (unknown.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `marketplace_ids: ${unknown.join(", ")} not among the account's marketplaces (${known.join(", ")})`)
    }
    let state: OrderBackfillState
    try {
      state = newOrderBackfill({ created_after: input.created_after, now: input.now ? new Date(input.now) : new Date() })
    } catch (e) {
      if (e instanceof OrderBackfillRangeError) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `created_after: ${e.message}`)
      }
      throw e
    }
    const cursors = await Promise.all(wanted.map((m) => amazon.getOrCreateCursor(account.id, ORDERS_BACKFILL_STREAM, m)))
    const busy = cursors.filter((c) => isBackfillActive(c.state as Partial<OrderBackfillState> | null))
    if (busy.length && !input.replace) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `An import of older orders is still running for ${busy.map((c) => c.scope).join(", ")}; wait for it, or send replace: true to start over from the new date`
      )
    }
    const undo: Undo = { cursors: cursors.map((c) => ({ id: c.id, state: (c.state as Record<string, unknown> | null) ?? null })), keys: Object.keys(state) }
    await amazon.updateAmazonSyncCursors(cursors.map((c) => ({ id: c.id, last_error: null, state: state as unknown as Record<string, unknown> })))
    return new StepResponse(
      cursors.map((c) => ({ ...state, marketplace_id: c.scope as string })),
      undo
    )
  },
  async (undo, { container }) => {
    if (!undo?.cursors.length) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    // json columns are merged on update: the keys of the new state are cleared before the old come back.
    const cleared = Object.fromEntries(undo.keys.map((k) => [k, null]))
    await amazon.updateAmazonSyncCursors(undo.cursors.map((c) => ({ id: c.id, state: { ...cleared, ...(c.state ?? {}) } })))
  }
)
