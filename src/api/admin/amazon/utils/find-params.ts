import { createFindParams } from "@medusajs/medusa/api/utils/validators"
import { z } from "@medusajs/framework/zod"

function toInt(val: unknown) {
  return typeof val === "string" && val !== "" ? Number(val) : val
}

/**
 * Medusa's list params (fields, offset, limit, order) with bounds on offset and limit: a negative or huge
 * value is a 400 with a message, not a database error.
 */
export function boundedFindParams(defaults: { limit: number; offset?: number; order?: string }, maxLimit = 500) {
  return createFindParams(defaults).merge(
    z.object({
      offset: z.preprocess(toInt, z.number().int().min(0).optional().default(defaults.offset ?? 0)),
      limit: z.preprocess(toInt, z.number().int().min(1).max(maxLimit).optional().default(defaults.limit)),
    })
  )
}
