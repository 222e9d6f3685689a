/**
 * TypeScript shapes of the JSON_LISTINGS_FEED document and its processing report.
 *
 * These two formats are JSON Schemas, not Swagger models, so openapi-typescript does not cover them.
 * Each type below is written from the schema file named on it (copies in `./schemas/`, identical to
 * `vendor/amazon/schemas/feeds/`; a unit test fails if they drift). Where the schema and a Swagger model
 * describe the very same object, the generated model type is reused instead of a hand-written one.
 */
import type { components as ListingsItems } from "../generated/listings-items-2021-08-01"

/** listings-feed-schema-v2.json `header.report.includedData.items.enum` (same list in the report schema). */
export type ListingsFeedIncludedData =
  | "summaries"
  | "attributes"
  | "issues"
  | "offers"
  | "fulfillmentAvailability"
  | "procurement"
  | "relationships"
  | "productTypes"

/** listings-feed-schema-v2.json `header.report` (both keys required; `includedData` has minItems 1). */
export interface ListingsFeedReportOptions {
  includedData: [ListingsFeedIncludedData, ...ListingsFeedIncludedData[]]
  apiVersion: "2021-08-01"
}

/** listings-feed-schema-v2.json `header` (required: sellerId, version). */
export interface ListingsFeedHeader {
  sellerId: string
  version: "2.0"
  issueLocale?: string
  report?: ListingsFeedReportOptions
}

/**
 * listings-feed-schema-v2.json `messages.items.properties.patches.items`. It is the same object as the
 * Listings Items API `PatchOperation` (op enum, path, value = array of objects), so the model type is used.
 */
export type ListingsFeedPatch = ListingsItems["schemas"]["PatchOperation"]

/** listings-feed-schema-v2.json `messages.items.properties.requirements.enum`. */
export type ListingsFeedRequirements = "LISTING" | "LISTING_PRODUCT_ONLY" | "LISTING_OFFER_ONLY"

/** The properties every message has (`required`: messageId, sku, operationType). */
interface ListingsFeedMessageBase {
  /** 1 … 2147483647 in the feed schema; the message schema leaves out the maximum. */
  messageId: number
  /** minLength 1, no maximum in either schema. */
  sku: string
}

/**
 * The four `oneOf` branches of listings-feed-schema-v2.json `messages.items` (and of
 * listings-feed-message-schema-v2.json), as a union discriminated on `operationType`.
 * `false` properties in a branch become `?: never`.
 */
export type ListingsFeedMessage =
  | (ListingsFeedMessageBase & {
      operationType: "UPDATE"
      productType: string
      requirements?: ListingsFeedRequirements
      attributes: Record<string, unknown>
      patches?: never
    })
  | (ListingsFeedMessageBase & {
      operationType: "DELETE"
      requirements?: never
      attributes?: never
      productType?: never
      patches?: never
    })
  | (ListingsFeedMessageBase & {
      operationType: "PARTIAL_UPDATE"
      productType: string
      attributes: Record<string, unknown>
      requirements?: never
      patches?: never
    })
  | (ListingsFeedMessageBase & {
      operationType: "PATCH"
      productType: string
      /** minItems 1 */
      patches: [ListingsFeedPatch, ...ListingsFeedPatch[]]
      requirements?: never
      attributes?: never
    })

export type ListingsFeedPatchMessage = Extract<ListingsFeedMessage, { operationType: "PATCH" }>

/** listings-feed-schema-v2.json root (required: header, messages; messages minItems 1, maxItems 25000). */
export interface ListingsFeedDocument {
  header: ListingsFeedHeader
  messages: ListingsFeedMessage[]
}

/** listings-feed-processing-report-schema-v2.json `issues.items.properties.severity.enum`. */
export type ProcessingReportSeverity = "ERROR" | "WARNING" | "INFO"

/** listings-feed-processing-report-schema-v2.json `issues.items` (required: severity, message). */
export interface ProcessingReportIssue {
  /** Absent when the issue concerns the whole feed (e.g. a header or formatting problem). */
  messageId?: number
  sku?: string
  /** "An Optional error code that maps to documentation." */
  code?: string
  severity: ProcessingReportSeverity
  message: string
  attributeName?: string
}

/** listings-feed-processing-report-schema-v2.json `summary.properties.itemSummary` (all three required). */
export interface ProcessingReportItemSummary {
  items: number
  errors: number
  warnings: number
}

/** listings-feed-processing-report-schema-v2.json `summary` (all but itemSummary required). */
export interface ProcessingReportSummary {
  errors: number
  warnings: number
  messagesProcessed: number
  /** "accepted" = passed validation; the update is being applied, not yet applied. */
  messagesAccepted: number
  messagesInvalid: number
  itemSummary?: ProcessingReportItemSummary
}

/** listings-feed-processing-report-schema-v2.json `header` (required: sellerId, version, feedId). */
export interface ProcessingReportHeader {
  sellerId: string
  version: "2.0"
  feedId: string
  report?: ListingsFeedReportOptions
}

/** listings-feed-processing-report-schema-v2.json root (required: header, issues, summary). */
export interface ListingsFeedProcessingReport {
  header: ProcessingReportHeader
  issues: ProcessingReportIssue[]
  summary: ProcessingReportSummary
  /**
   * The schema only says "object with at least one property": the content is a Listings Items API
   * `Item` for the requested `includedData`, which the parser checks field by field before reading.
   */
  items?: Record<string, unknown>[]
}
