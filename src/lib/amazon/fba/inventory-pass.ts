/**
 * One pass over FBA Inventory v1 getInventorySummaries for one marketplace: every page, back to back.
 *
 * Pure paging logic: the HTTP call is injected (`fetchPage`), so the restart rules are unit-tested
 * without a network. No Medusa imports.
 *
 * Why the pass buffers instead of writing each page: a nextToken lives 30 s (FACTS §8). Pages are
 * fetched back to back (only the 2-per-second quota sits between them) and written once the pass is
 * complete, so a slow database can never make a token expire.
 *
 * Why a restart is safe: summaries are absolute snapshots keyed by SKU, so re-reading a page only
 * replaces a snapshot with an equal or newer one. When a token expires mid-scan (Amazon answers 400
 * InvalidInput "The nextToken is invalid or expired"), the pass starts again from its first page with
 * the same startDateTime and keeps what it already read.
 */
import { AmazonApiError } from "../errors"
import { ParsedInventorySummary, parseInventorySummaries } from "../parsers/parse-inventory-summaries"

/** The query of one page, exactly as getInventorySummaries takes it. */
export interface InventoryPageQuery {
  granularityType: "Marketplace"
  granularityId: string
  marketplaceIds: string[]
  details: true
  startDateTime?: string
  nextToken?: string
}

export interface InventoryPassProgress {
  pages: number
  calls: number
  restarts: number
  skus: number
}

export interface InventoryPassOptions {
  marketplaceId: string
  /** ISO date-time (whole seconds) for an incremental pass; undefined for a full scan. */
  startDateTime?: string
  /** Restarts allowed after expired tokens before the pass gives up. Default 3. */
  maxRestarts?: number
  /** Calls Amazon; resolves with the raw body and how many HTTP attempts the SP-API client made. */
  fetchPage: (query: InventoryPageQuery) => Promise<{ data: unknown; attempts?: number }>
  /** Called after every page (e.g. to record progress). Must be quick: the next token is ageing. */
  onPage?: (progress: InventoryPassProgress) => void | Promise<void>
}

export interface InventoryPassResult extends InventoryPassProgress {
  /** One snapshot per SKU, the last one read wins. Sorted by SKU. */
  items: ParsedInventorySummary[]
  /** Pages read in the pass that completed (after the last restart). */
  pagesLastRun: number
}

export type FbaPassErrorCode =
  /** Tokens kept expiring: more restarts than allowed. */
  | "TOO_MANY_RESTARTS"
  /** A page answered for another marketplace than asked. */
  | "GRANULARITY_MISMATCH"
  /** Amazon handed back the token we just sent: paging would never end. */
  | "PAGING_LOOP"

export class FbaPassError extends Error {
  readonly name = "FbaPassError"
  constructor(
    readonly code: FbaPassErrorCode,
    message: string,
    readonly progress: InventoryPassProgress
  ) {
    super(message)
  }
}

/**
 * An expired or otherwise rejected nextToken. Amazon has no dedicated code for it (400 InvalidInput),
 * so any 400 on a page that carried a token counts: a restart is bounded and harmless, while treating
 * it as fatal would lose the pass.
 */
export function isRejectedNextToken(error: unknown, sentToken: string | undefined): boolean {
  return (
    sentToken !== undefined &&
    error instanceof AmazonApiError &&
    error.status === 400 &&
    (error.code === "InvalidInput" || error.code === "InvalidParameterValue" || /next ?token/i.test(error.message))
  )
}

export async function collectInventoryPass(options: InventoryPassOptions): Promise<InventoryPassResult> {
  const maxRestarts = options.maxRestarts ?? 3
  const bySku = new Map<string, ParsedInventorySummary>()
  const progress: InventoryPassProgress = { pages: 0, calls: 0, restarts: 0, skus: 0 }
  let pagesThisRun = 0
  let nextToken: string | undefined

  for (;;) {
    const query: InventoryPageQuery = {
      granularityType: "Marketplace",
      granularityId: options.marketplaceId,
      marketplaceIds: [options.marketplaceId],
      details: true,
    }
    // With startDateTime, Amazon requires it again on every page together with the token.
    if (options.startDateTime !== undefined) {
      query.startDateTime = options.startDateTime
    }
    if (nextToken !== undefined) {
      query.nextToken = nextToken
    }

    let res: { data: unknown; attempts?: number }
    try {
      res = await options.fetchPage(query)
    } catch (e) {
      progress.calls += e instanceof AmazonApiError ? e.attempts : 1
      if (!isRejectedNextToken(e, nextToken)) {
        throw e
      }
      if (progress.restarts >= maxRestarts) {
        throw new FbaPassError(
          "TOO_MANY_RESTARTS",
          `nextToken expired ${progress.restarts + 1} times during one pass (${progress.pages} pages read); giving up after ${maxRestarts} restarts`,
          { ...progress }
        )
      }
      progress.restarts += 1
      pagesThisRun = 0
      nextToken = undefined
      continue
    }
    progress.calls += res.attempts ?? 1

    const page = parseInventorySummaries(res.data)
    if (page.granularityId !== undefined && page.granularityId !== options.marketplaceId) {
      throw new FbaPassError(
        "GRANULARITY_MISMATCH",
        `asked for marketplace ${options.marketplaceId}, Amazon answered for ${page.granularityId}`,
        { ...progress }
      )
    }
    for (const item of page.items) {
      bySku.set(item.sellerSku, item)
    }
    progress.pages += 1
    pagesThisRun += 1
    progress.skus = bySku.size
    if (options.onPage) {
      await options.onPage({ ...progress })
    }
    if (page.nextToken === undefined || page.nextToken === "") {
      break
    }
    if (page.nextToken === nextToken) {
      throw new FbaPassError("PAGING_LOOP", "Amazon returned the same nextToken twice", { ...progress })
    }
    nextToken = page.nextToken
  }

  const items = [...bySku.values()].sort((a, b) => (a.sellerSku < b.sellerSku ? -1 : a.sellerSku > b.sellerSku ? 1 : 0))
  return { ...progress, items, pagesLastRun: pagesThisRun }
}
