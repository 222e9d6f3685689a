/**
 * Processing of one feed: the JSON_LISTINGS_FEED document is checked against Amazon's schemas, each message is
 * validated on its own, accepted messages change the listings, and a processing report is produced.
 *
 * FATAL (nothing applied): retired or unsupported feed type, no upload, not JSON, a document that fails
 * listings-feed-schema-v2.json outside its messages (header, more than 25,000 messages, …), a header sellerId
 * of another seller. DONE otherwise, with one or more issues for each invalid message.
 */
import type { ErrorObject } from "ajv"
import type { SimState } from "../state"
import type { ProcessingReport, ProcessingReportIssue } from "../types"
import { describeErrors, getFeedSchemas } from "../validation"
import { isPlainObject } from "../http"
import { ISSUE_CODES } from "./issue-codes"
import type { PatchOperation } from "./listing-patches"
import { evaluateSubmission, findListings, type Submission, type SubmissionContext } from "./listing-submissions"
import { renderListingGroups } from "./listing-view"

export const JSON_LISTINGS_FEED = "JSON_LISTINGS_FEED"

/**
 * XML and flat-file listings feeds, retired on 2025-07-31: getFeed reports FATAL for them
 * (developer-docs: listings-feed-type-values). Any POST_FLAT_FILE_* type is treated the same way.
 */
export const RETIRED_FEED_TYPES: ReadonlySet<string> = new Set([
  "POST_PRODUCT_DATA",
  "POST_INVENTORY_AVAILABILITY_DATA",
  "POST_PRODUCT_PRICING_DATA",
  "POST_PRODUCT_OVERRIDES_DATA",
  "POST_PRODUCT_IMAGE_DATA",
  "POST_PRODUCT_RELATIONSHIP_DATA",
  "POST_ITEM_DATA",
  "POST_UIEE_BOOKLOADER_DATA",
  "POST_STD_ACES_DATA",
])

export function isRetiredFeedType(feedType: string): boolean {
  return RETIRED_FEED_TYPES.has(feedType) || feedType.startsWith("POST_FLAT_FILE_")
}

export interface FeedProcessingInput {
  state: SimState
  sellerId: string
  feedId: string
  feedType: string
  marketplaceIds: string[]
  content: Buffer | undefined
  forcedFatal: boolean
  now: number
  /** See SubmissionContext.dropQuantityUpdate (the "quantity-not-applied" fault). */
  dropQuantityUpdate?: (sku: string) => boolean
  /** See SubmissionContext.onMfnQuantityChange. */
  onMfnQuantityChange?: SubmissionContext["onMfnQuantityChange"]
}

export interface FeedProcessingResult {
  status: "DONE" | "FATAL"
  report: ProcessingReport
}

export function processFeed(input: FeedProcessingInput): FeedProcessingResult {
  const fatal = (code: string, message: string): FeedProcessingResult => ({
    status: "FATAL",
    report: {
      header: { sellerId: input.sellerId, version: "2.0", feedId: input.feedId },
      issues: [{ code, severity: "ERROR", message }],
      summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 },
    },
  })

  if (input.forcedFatal) return fatal(ISSUE_CODES.INJECTED_FATAL, "Feed processing failed (fault injected by the simulator).")
  if (isRetiredFeedType(input.feedType)) {
    return fatal(
      ISSUE_CODES.FEED_TYPE_RETIRED,
      `The feed type ${input.feedType} is no longer supported. XML and flat-file listings feeds were retired on 2025-07-31; use JSON_LISTINGS_FEED or the Listings Items API.`,
    )
  }
  if (input.feedType !== JSON_LISTINGS_FEED) {
    return fatal(ISSUE_CODES.FEED_TYPE_NOT_SIMULATED, `The simulator does not process ${input.feedType} feeds.`)
  }
  if (!input.content || input.content.length === 0) {
    return fatal(ISSUE_CODES.DOCUMENT_MISSING, "The feed document is empty or was never uploaded.")
  }

  let document: unknown
  try {
    document = JSON.parse(input.content.toString("utf8").replace(/^\uFEFF/, ""))
  } catch {
    return fatal(ISSUE_CODES.DOCUMENT_NOT_JSON, "The feed document could not be parsed as JSON. Upload uncompressed UTF-8 JSON.")
  }

  const schemas = getFeedSchemas()
  const documentValid = schemas.document(document) as boolean
  const invalidByDocument = new Map<number, ErrorObject[]>()
  if (!documentValid) {
    const outside: ErrorObject[] = []
    for (const error of schemas.document.errors ?? []) {
      const index = messageIndex(error.instancePath)
      if (index === undefined) outside.push(error)
      else invalidByDocument.set(index, [...(invalidByDocument.get(index) ?? []), error])
    }
    if (outside.length > 0) {
      return fatal(ISSUE_CODES.DOCUMENT_SCHEMA_INVALID, `The feed document does not meet the schema requirements: ${describeErrors(outside)}.`)
    }
  }

  // From here the document matched the schema outside its messages: header and a 1..25,000 messages array.
  const feed = document as { header: { sellerId: string; report?: { includedData: string[]; apiVersion: "2021-08-01" } }; messages: unknown[] }
  if (feed.header.sellerId !== input.sellerId) {
    return fatal(ISSUE_CODES.SELLER_MISMATCH, `The sellerId '${feed.header.sellerId}' in the feed header does not match the seller who submitted the feed.`)
  }

  const issues: ProcessingReportIssue[] = []
  const seenMessageIds = new Set<number>()
  const acceptedSkus: string[] = []
  let accepted = 0
  let invalid = 0

  feed.messages.forEach((raw, index) => {
    const messageId = isPlainObject(raw) && Number.isInteger(raw.messageId) ? (raw.messageId as number) : undefined
    const sku = isPlainObject(raw) && typeof raw.sku === "string" && raw.sku !== "" ? raw.sku : undefined
    const tag = { ...(messageId !== undefined ? { messageId } : {}), ...(sku !== undefined ? { sku } : {}) }

    const messageValid = schemas.message(raw) as boolean
    if (!messageValid || invalidByDocument.has(index)) {
      invalid += 1
      const errors = messageValid ? invalidByDocument.get(index) : schemas.message.errors
      issues.push({
        ...tag,
        code: ISSUE_CODES.MESSAGE_SCHEMA_INVALID,
        severity: "ERROR",
        message: `The provided message did not meet the schema validation requirements for a feed message. (${describeErrors(errors)})`,
      })
      return
    }
    if (messageId !== undefined && seenMessageIds.has(messageId)) {
      invalid += 1
      issues.push({ ...tag, code: ISSUE_CODES.BAD_REQUEST, severity: "ERROR", message: `Duplicate messageId ${messageId}: message ids must be unique within a feed.` })
      return
    }
    if (messageId !== undefined) seenMessageIds.add(messageId)

    const outcome = evaluateSubmission(
      { state: input.state, sellerId: input.sellerId, marketplaceIds: input.marketplaceIds, now: input.now, dropQuantityUpdate: input.dropQuantityUpdate, onMfnQuantityChange: input.onMfnQuantityChange },
      sku as string,
      toSubmission(raw as Record<string, unknown>),
    )
    if (!outcome.accepted) {
      invalid += 1
      for (const issue of outcome.issues) {
        issues.push({
          ...tag,
          code: issue.code,
          severity: issue.severity,
          message: issue.message,
          ...(issue.attributeNames?.[0] ? { attributeName: issue.attributeNames[0] } : {}),
        })
      }
      return
    }
    outcome.apply?.()
    accepted += 1
    if (sku !== undefined && !acceptedSkus.includes(sku)) acceptedSkus.push(sku)
  })

  const report: ProcessingReport = {
    header: { sellerId: input.sellerId, version: "2.0", feedId: input.feedId },
    issues,
    summary: {
      errors: issues.filter((i) => i.severity === "ERROR").length,
      warnings: issues.filter((i) => i.severity === "WARNING").length,
      messagesProcessed: feed.messages.length,
      messagesAccepted: accepted,
      messagesInvalid: invalid,
    },
  }

  const requested = feed.header.report
  if (requested) {
    // With header.report, the report also carries the listings as the Listings Items API shows them.
    report.header.report = { includedData: [...requested.includedData], apiVersion: requested.apiVersion }
    const groupsOf = (sku: string) => findListings({ state: input.state, sellerId: input.sellerId, marketplaceIds: input.marketplaceIds }, sku)
    const items = acceptedSkus
      .map(groupsOf)
      .filter((groups) => groups.length > 0)
      .map((groups) =>
        renderListingGroups(groups, {
          includedData: requested.includedData,
          marketplaceIds: input.marketplaceIds,
          fbaStock: (marketplaceId) => input.state.stock(input.sellerId, marketplaceId, groups[0].sku),
        }) as Record<string, unknown>,
      )
    const itemIssues = acceptedSkus.flatMap((sku) => groupsOf(sku)[0]?.issues ?? [])
    report.items = items
    report.summary.itemSummary = {
      items: items.length,
      errors: itemIssues.filter((i) => i.severity === "ERROR").length,
      warnings: itemIssues.filter((i) => i.severity === "WARNING").length,
    }
  }
  return { status: "DONE", report }
}

function messageIndex(instancePath: string): number | undefined {
  const match = /^\/messages\/(\d+)(\/|$)/.exec(instancePath)
  return match ? Number(match[1]) : undefined
}

/** A schema-valid message as a listings submission. */
function toSubmission(message: Record<string, unknown>): Submission {
  switch (message.operationType) {
    case "PATCH":
      return { operationType: "PATCH", productType: String(message.productType), patches: message.patches as PatchOperation[] }
    case "PARTIAL_UPDATE":
      return { operationType: "PARTIAL_UPDATE", productType: String(message.productType), attributes: message.attributes as Record<string, unknown> }
    case "UPDATE":
      return { operationType: "UPDATE", productType: String(message.productType), attributes: message.attributes as Record<string, unknown> }
    default:
      return { operationType: "DELETE" }
  }
}
