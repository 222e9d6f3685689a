import { z } from "@medusajs/framework/zod"

/** No parameters: the explanation is always the whole chain, computed now. */
export const AdminGetAmazonListingExplainParams = z.object({}).strict()

export type AdminGetAmazonListingExplainParamsType = z.infer<typeof AdminGetAmazonListingExplainParams>
