import type { Logger } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { FRAMEWORK_OPTION_KEYS, PluginOptions, PluginOptionsSchema } from "../../../types/plugin-options"

/** The module's options, checked at boot: INVALID_DATA naming the first bad key, a warning for unknown keys. */
export function parsePluginOptions(options: unknown, logger: Logger): PluginOptions {
  const parsed = PluginOptionsSchema.safeParse(options ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Amazon plugin: invalid option "${issue.path.join(".") || "(root)"}": ${issue.message}`
    )
  }
  const known = new Set(Object.keys(PluginOptionsSchema.shape))
  const unknown = Object.keys(options ?? {}).filter((k) => !known.has(k) && !FRAMEWORK_OPTION_KEYS.has(k))
  if (unknown.length) {
    // Not fatal (a newer option in an older plugin should not stop a store), but never silent.
    logger.warn(`Amazon plugin: ignoring unknown option(s) ${unknown.map((k) => `"${k}"`).join(", ")}`)
  }
  return parsed.data
}
