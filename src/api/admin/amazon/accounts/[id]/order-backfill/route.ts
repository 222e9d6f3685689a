import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { OrderBackfillState } from "../../../../../../lib/amazon/orders"
import { AMAZON_MODULE } from "../../../../../../modules/amazon"
import type AmazonModuleService from "../../../../../../modules/amazon/service"
import type { AdminAmazonOrderBackfill, AdminAmazonOrderBackfillResponse } from "../../../../../../types/http"
import { ORDERS_BACKFILL_STREAM } from "../../../../../../workflows/order-import/constants"
import { requestAmazonOrderBackfillWorkflow } from "../../../../../../workflows/order-import/request-amazon-order-backfill"
import { requestAmazonSyncWorkflow } from "../../../../../../workflows/admin/request-amazon-sync"
import type { AdminRequestAmazonOrderBackfillType } from "../../validators"

function view(marketplaceId: string, s: OrderBackfillState): AdminAmazonOrderBackfill {
  return {
    marketplace_id: marketplaceId,
    status: s.status,
    created_after: s.created_after,
    created_before: s.created_before,
    requested_at: s.requested_at,
    pages: s.pages,
    counts: s.counts,
    updated_at: s.updated_at ?? null,
    finished_at: s.finished_at ?? null,
    error: s.error ?? null,
  }
}

/** The account's back-imports of older orders (one per marketplace asked for) and their progress. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminAmazonOrderBackfillResponse>) => {
  const amazon = req.scope.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [account] = await amazon.listAmazonAccounts({ id: req.params.id }, { select: ["id"], take: 1 })
  if (!account) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account ${req.params.id} was not found`)
  }
  const cursors = await amazon.listAmazonSyncCursors({ account_id: account.id, stream: ORDERS_BACKFILL_STREAM }, { take: 100 })
  res.json({
    backfills: cursors
      .filter((c) => (c.state as Partial<OrderBackfillState> | null)?.status)
      .map((c) => view(c.scope as string, c.state as unknown as OrderBackfillState))
      .sort((a, b) => a.marketplace_id.localeCompare(b.marketplace_id)),
  })
}

/**
 * "Import older orders": records the back-import (400 for a date Amazon does not serve, 409 while one is
 * running unless `replace`) and asks for an order import at once, which starts it; answers 202 without
 * waiting for Amazon. When an order import is already running, the back-import starts with the next run
 * (at most 2 minutes later).
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminRequestAmazonOrderBackfillType>,
  res: MedusaResponse<AdminAmazonOrderBackfillResponse>
) => {
  const { result } = await requestAmazonOrderBackfillWorkflow(req.scope).run({
    input: { account_id: req.params.id, ...req.validatedBody },
  })
  // Start it now when no import of the account runs (409 otherwise: the running or the next run takes it).
  await requestAmazonSyncWorkflow(req.scope).run({
    input: { stream: "orders", account_id: req.params.id, requested_by: req.auth_context?.actor_id },
  })
  res.status(202).json({ backfills: result.map((s) => view(s.marketplace_id, s)) })
}
