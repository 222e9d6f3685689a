import { createFindParams } from "@medusajs/medusa/api/utils/validators"
import { z } from "@medusajs/framework/zod"

export const AdminGetAmazonAccountsParams = createFindParams({ limit: 50, offset: 0 })
  .merge(
    z
      .object({
        enabled: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()).optional(),
        region: z.enum(["NA", "EU", "FE"]).optional(),
      })
      .strict()
  )

export type AdminGetAmazonAccountsParamsType = z.infer<typeof AdminGetAmazonAccountsParams>
