/**
 * Listings Items API 2021-08-01: patchListingsItem, getListingsItem, searchListingsItems.
 */
import type { components } from "../../src/lib/amazon/generated/listings-items-2021-08-01"
import { parseIso } from "../clock"
import type { SimContext, SpApiRequest, SpApiRoute } from "../context"
import type { IssueDraft, PatchOperation } from "../domain/listing-patches"
import { evaluateSubmission, findListing, findListings } from "../domain/listing-submissions"
import { LISTING_INCLUDED_DATA, listingStatus, renderListingGroups } from "../domain/listing-view"
import { invalidInput, json, notFound } from "../http"
import { newSubmissionId } from "../state"
import type { SimListing } from "../types"
import { decodeToken, encodeToken, requireEnum, requireList, requireOwnSellerId, requireSellerMarketplaces, validatedBody } from "./common"

type ListingsItemPatchRequest = components["schemas"]["ListingsItemPatchRequest"]
type ListingsItemSubmissionResponse = components["schemas"]["ListingsItemSubmissionResponse"]
type ItemSearchResults = components["schemas"]["ItemSearchResults"]
type Issue = components["schemas"]["Issue"]

function toIssue(draft: IssueDraft, marketplaceIds: string[]): Issue {
  const issue: Issue = { code: draft.code, message: draft.message, severity: draft.severity, categories: [], marketplaceIds: [...marketplaceIds] }
  if (draft.attributeNames) issue.attributeNames = [...draft.attributeNames]
  return issue
}

function marketplacesOf(req: SpApiRequest): string[] {
  const marketplaceIds = requireList(req.query.list("marketplaceIds"), "marketplaceIds")
  requireSellerMarketplaces(req.seller, marketplaceIds, "marketplaceIds")
  return marketplaceIds
}

/** A SKU's listings in the requested marketplaces (one unless it is listed separately per marketplace). */
function render(ctx: SimContext, groups: SimListing[], includedData: string[], marketplaceIds: string[]) {
  const { sellerId, sku } = groups[0]
  return renderListingGroups(groups, {
    includedData,
    marketplaceIds,
    fbaStock: (marketplaceId) => ctx.state.stock(sellerId, marketplaceId, sku),
  })
}

function patchListingsItem(ctx: SimContext, req: SpApiRequest) {
  requireOwnSellerId(req)
  const marketplaceIds = marketplacesOf(req)
  const includedData = req.query.list("includedData") ?? ["issues"]
  requireEnum(includedData, ["identifiers", "issues"], "includedData")
  const mode = req.query.string("mode")
  if (mode !== undefined && mode !== "VALIDATION_PREVIEW") throw invalidInput(`Invalid mode: ${mode}. Allowed: VALIDATION_PREVIEW.`)
  const body = validatedBody<ListingsItemPatchRequest>(ctx, req)
  body.patches.forEach((patch, index) => {
    if (patch.op !== "delete" && patch.value === undefined) throw invalidInput(`Value is missing for patch at index of ${index}.`)
  })

  const sku = req.params.sku
  const outcome = evaluateSubmission(
    {
      state: ctx.state,
      sellerId: req.seller.sellerId,
      marketplaceIds,
      now: ctx.clock.now(),
      dropQuantityUpdate: (s) => ctx.faults.quantityNotApplied(req.seller.sellerId, s),
      onMfnQuantityChange: (listing, before) => ctx.notifications.mfnQuantityChanged(listing, before),
    },
    sku,
    { operationType: "PATCH", productType: body.productType, patches: body.patches as PatchOperation[] },
  )
  const preview = mode === "VALIDATION_PREVIEW"
  if (outcome.accepted && !preview) outcome.apply?.()

  const response: ListingsItemSubmissionResponse = {
    sku,
    status: !outcome.accepted ? "INVALID" : preview ? "VALID" : "ACCEPTED",
    submissionId: newSubmissionId(),
  }
  if (includedData.includes("issues")) response.issues = outcome.issues.map((i) => toIssue(i, marketplaceIds))
  if (includedData.includes("identifiers")) {
    const asin = findListing({ state: ctx.state, sellerId: req.seller.sellerId, marketplaceIds }, sku)?.asin
    response.identifiers = asin ? marketplaceIds.map((marketplaceId) => ({ marketplaceId, asin })) : []
  }
  return json(200, response)
}

function getListingsItem(ctx: SimContext, req: SpApiRequest) {
  requireOwnSellerId(req)
  const marketplaceIds = marketplacesOf(req)
  const includedData = req.query.list("includedData") ?? ["summaries"]
  requireEnum(includedData, LISTING_INCLUDED_DATA, "includedData")
  const listings = findListings({ state: ctx.state, sellerId: req.seller.sellerId, marketplaceIds }, req.params.sku)
  // The Listings APIs answer unknown items with code NOT_FOUND (jasara/php-amzn-selling-partner-api#10).
  if (listings.length === 0) throw notFound(`Requested item, ${req.params.sku}, not found in marketplace(s) [${marketplaceIds.join(", ")}].`, "NOT_FOUND")
  return json(200, render(ctx, listings, includedData, marketplaceIds))
}

const IDENTIFIER_TYPES = ["ASIN", "EAN", "FNSKU", "GTIN", "ISBN", "JAN", "MINSAN", "SKU", "UPC"] as const
const SEARCH_PAGE_FIELDS = ["pageToken", "pageSize", "includedData", "issueLocale"]

interface SearchToken {
  offset: number
  fingerprint: string
}

function matchesIdentifier(listing: SimListing, type: string, identifiers: string[]): boolean {
  // The simulator stores SKUs, ASINs and FNSKUs only; other identifier types never match.
  if (type === "SKU") return identifiers.includes(listing.sku)
  if (type === "ASIN") return listing.asin !== undefined && identifiers.includes(listing.asin)
  if (type === "FNSKU") return listing.fnSku !== undefined && identifiers.includes(listing.fnSku)
  return false
}

function dateFilter(req: SpApiRequest, name: string): number | undefined {
  const raw = req.query.string(name)
  if (raw === undefined) return undefined
  const value = parseIso(raw)
  if (value === undefined) throw invalidInput(`${name} must be an ISO 8601 date-time.`)
  return value
}

function searchListingsItems(ctx: SimContext, req: SpApiRequest) {
  requireOwnSellerId(req)
  const marketplaceIds = marketplacesOf(req)
  const includedData = req.query.list("includedData") ?? ["summaries"]
  requireEnum(includedData, LISTING_INCLUDED_DATA, "includedData")
  const identifiers = req.query.list("identifiers")
  const identifiersType = req.query.string("identifiersType")
  if ((identifiers === undefined) !== (identifiersType === undefined)) throw invalidInput("identifiers and identifiersType must be given together.")
  if (identifiersType !== undefined) requireEnum([identifiersType], IDENTIFIER_TYPES, "identifiersType")
  if (identifiers && identifiers.length > 20) throw invalidInput("identifiers accepts at most 20 values.")
  const withStatus = req.query.list("withStatus")
  const withoutStatus = req.query.list("withoutStatus")
  const withIssueSeverity = req.query.list("withIssueSeverity")
  requireEnum(withStatus, ["BUYABLE", "DISCOVERABLE"], "withStatus")
  requireEnum(withoutStatus, ["BUYABLE", "DISCOVERABLE"], "withoutStatus")
  requireEnum(withIssueSeverity, ["WARNING", "ERROR"], "withIssueSeverity")
  const createdAfter = dateFilter(req, "createdAfter")
  const createdBefore = dateFilter(req, "createdBefore")
  const lastUpdatedAfter = dateFilter(req, "lastUpdatedAfter")
  const lastUpdatedBefore = dateFilter(req, "lastUpdatedBefore")
  const sortBy = req.query.string("sortBy") ?? "lastUpdatedDate"
  const sortOrder = req.query.string("sortOrder") ?? "DESC"
  requireEnum([sortBy], ["sku", "createdDate", "lastUpdatedDate"], "sortBy")
  requireEnum([sortOrder], ["ASC", "DESC"], "sortOrder")
  const pageSize = req.query.int("pageSize", { min: 1, max: 20 }) ?? 10

  const fingerprint = req.query.fingerprint(SEARCH_PAGE_FIELDS)
  let offset = 0
  const pageToken = req.query.string("pageToken")
  if (pageToken !== undefined) {
    const token = decodeToken<SearchToken>(pageToken)
    if (!token || typeof token.offset !== "number" || token.offset < 0) throw invalidInput("The pageToken is invalid.")
    if (token.fingerprint !== fingerprint) throw invalidInput("The pageToken was issued for a request with other parameters.")
    offset = token.offset
  }

  const stockOf = (l: SimListing) => marketplaceIds.map((m) => ctx.state.stock(l.sellerId, m, l.sku)).find((s) => s !== undefined)
  const direction = sortOrder === "ASC" ? 1 : -1
  // One result per SKU: a SKU listed separately in several of the requested marketplaces is one item.
  const skus = new Set<string>()
  const matches = ctx.state
    .listingsOf(req.seller.sellerId)
    .filter((l) => l.marketplaceIds.some((m) => marketplaceIds.includes(m)))
    .filter((l) => {
      if (skus.has(l.sku)) return false
      skus.add(l.sku)
      return true
    })
    .map((l) => findListing({ state: ctx.state, sellerId: l.sellerId, marketplaceIds }, l.sku) ?? l)
    .filter((l) => !identifiersType || matchesIdentifier(l, identifiersType, identifiers ?? []))
    .filter((l) => {
      const status = listingStatus(l, stockOf(l))
      if (withStatus && !withStatus.every((s) => status.includes(s as "BUYABLE"))) return false
      if (withoutStatus && withoutStatus.some((s) => status.includes(s as "BUYABLE"))) return false
      if (withIssueSeverity && !l.issues.some((i) => withIssueSeverity.includes(i.severity))) return false
      if (createdAfter !== undefined && l.createdAt < createdAfter) return false
      if (createdBefore !== undefined && l.createdAt > createdBefore) return false
      if (lastUpdatedAfter !== undefined && l.updatedAt < lastUpdatedAfter) return false
      if (lastUpdatedBefore !== undefined && l.updatedAt > lastUpdatedBefore) return false
      return true
    })
    .sort((a, b) => {
      const primary =
        sortBy === "sku" ? a.sku.localeCompare(b.sku) : sortBy === "createdDate" ? a.createdAt - b.createdAt : a.updatedAt - b.updatedAt
      // The SKU breaks ties so pages never overlap.
      return direction * (primary || a.sku.localeCompare(b.sku))
    })

  const page = matches.slice(offset, offset + pageSize)
  const result: ItemSearchResults = {
    numberOfResults: matches.length,
    items: page.map((l) => render(ctx, findListings({ state: ctx.state, sellerId: l.sellerId, marketplaceIds }, l.sku), includedData, marketplaceIds)),
  }
  const pagination: NonNullable<ItemSearchResults["pagination"]> = {}
  if (offset + pageSize < matches.length) pagination.nextToken = encodeToken({ offset: offset + pageSize, fingerprint })
  if (offset > 0) pagination.previousToken = encodeToken({ offset: Math.max(0, offset - pageSize), fingerprint })
  if (pagination.nextToken || pagination.previousToken) result.pagination = pagination
  return json(200, result)
}

export const listingsRoutes: SpApiRoute[] = [
  { method: "PATCH", path: "/listings/2021-08-01/items/{sellerId}/{sku}", operation: "listings-items-2021-08-01.patchListingsItem", handler: patchListingsItem },
  { method: "GET", path: "/listings/2021-08-01/items/{sellerId}/{sku}", operation: "listings-items-2021-08-01.getListingsItem", handler: getListingsItem },
  { method: "GET", path: "/listings/2021-08-01/items/{sellerId}", operation: "listings-items-2021-08-01.searchListingsItems", handler: searchListingsItems },
]
