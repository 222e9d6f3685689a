import { z } from "@medusajs/framework/zod"
import { boundedFindParams } from "../../../utils/find-params"

/** Only the page: the history has one order (newest first) and fixed fields. */
export const AdminGetAmazonListingPushesParams = boundedFindParams({ limit: 20, offset: 0 }, 200)
  .pick({ limit: true, offset: true })
  .strict()

export type AdminGetAmazonListingPushesParamsType = z.infer<typeof AdminGetAmazonListingPushesParams>
