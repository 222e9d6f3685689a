import { MiddlewareRoute, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { listListingsQueryConfig, retrieveListingQueryConfig } from "./query-config"
import {
  AdminAutoLinkAmazonListings,
  AdminBatchAmazonListings,
  AdminExportAmazonListingMappingParams,
  AdminGetAmazonListingSuggestionsParams,
  AdminGetAmazonListingsSuggestionsParams,
  AdminImportAmazonListingMapping,
  AdminGetAmazonListingParams,
  AdminGetAmazonListingsParams,
  AdminImportAmazonListings,
  AdminLinkAmazonListing,
  AdminUpdateAmazonListing,
} from "./validators"

/** Routes that answer a fixed shape: no `fields` to choose. */
const noFields = { defaults: [] as string[], isList: false }

export const adminAmazonListingsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/amazon/listings",
    middlewares: [validateAndTransformQuery(AdminGetAmazonListingsParams, listListingsQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/listings/auto-link",
    middlewares: [validateAndTransformBody(AdminAutoLinkAmazonListings)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/listings/import",
    middlewares: [validateAndTransformBody(AdminImportAmazonListings)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/listings/batch",
    middlewares: [validateAndTransformBody(AdminBatchAmazonListings)],
  },
  {
    method: ["GET"],
    matcher: "/admin/amazon/listings/suggestions",
    middlewares: [validateAndTransformQuery(AdminGetAmazonListingsSuggestionsParams, noFields)],
  },
  {
    method: ["GET"],
    matcher: "/admin/amazon/listings/mapping/export",
    middlewares: [validateAndTransformQuery(AdminExportAmazonListingMappingParams, noFields)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/listings/mapping/import",
    // the validator refuses a file over 2 MB with a clear 400; JSON escaping may add to that (quotes, line
    // breaks), and Express's default limit (100 kB) would refuse most files with a bare 413
    bodyParser: { sizeLimit: "6mb" },
    middlewares: [validateAndTransformBody(AdminImportAmazonListingMapping)],
  },
  {
    method: ["GET"],
    matcher: "/admin/amazon/listings/:id/suggestions",
    middlewares: [validateAndTransformQuery(AdminGetAmazonListingSuggestionsParams, noFields)],
  },
  {
    method: ["GET"],
    matcher: "/admin/amazon/listings/:id",
    middlewares: [validateAndTransformQuery(AdminGetAmazonListingParams, retrieveListingQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/listings/:id",
    middlewares: [validateAndTransformBody(AdminUpdateAmazonListing)],
  },
  {
    method: ["POST"],
    matcher: "/admin/amazon/listings/:id/link",
    middlewares: [validateAndTransformBody(AdminLinkAmazonListing)],
  },
]
