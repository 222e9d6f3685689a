import { MiddlewareRoute, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { listListingsQueryConfig, retrieveListingQueryConfig } from "./query-config"
import {
  AdminAutoLinkAmazonListings,
  AdminGetAmazonListingParams,
  AdminGetAmazonListingsParams,
  AdminImportAmazonListings,
  AdminLinkAmazonListing,
  AdminUpdateAmazonListing,
} from "./validators"

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
